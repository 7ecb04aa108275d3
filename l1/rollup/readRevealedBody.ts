import { decodeFunctionData, keccak256, type Address, type Hex } from 'viem';
import { rollupAbi } from '../../contracts/artifacts/rollup.js';
import { RevealCalldataError, RevealNotFoundError } from '../errors/l1Errors.js';
import type { L1PublicClient } from '../transactions/l1Clients.js';

/**
 * The body of a block's current reveal, read from the reveal transaction's calldata: the block state names the L1
 * block of the reveal, its BlockRevealed log names the transaction. Works only for a direct call to `reveal` (a reveal
 * made through another contract has other calldata, and fails with RevealCalldataError).
 */
export async function readRevealedBody(publicClient: L1PublicClient, rollup: Address, blockNumber: bigint): Promise<Hex> {
  const state = await publicClient.readContract({ address: rollup, abi: rollupAbi, functionName: 'blockState', args: [blockNumber] });
  const logs = await publicClient.getContractEvents({
    address: rollup,
    abi: rollupAbi,
    eventName: 'BlockRevealed',
    args: { blockNumber },
    fromBlock: BigInt(state.revealL1Block),
    toBlock: BigInt(state.revealL1Block),
    strict: true,
  });
  // Several reveals of one block can share an L1 block; the current one is the last by the stored sequencer.
  const reveal = logs.findLast((log) => log.args.bodyHash === state.bodyHash && log.args.sequencer === state.sequencer);
  if (!reveal) throw new RevealNotFoundError(blockNumber, BigInt(state.revealL1Block));

  const { input } = await publicClient.getTransaction({ hash: reveal.transactionHash });
  let call: ReturnType<typeof decodeFunctionData<typeof rollupAbi>>;
  try {
    call = decodeFunctionData({ abi: rollupAbi, data: input });
  } catch (error) {
    throw new RevealCalldataError(blockNumber, reveal.transactionHash, (error as Error).message);
  }
  if (call.functionName !== 'reveal') {
    throw new RevealCalldataError(blockNumber, reveal.transactionHash, `it calls ${call.functionName}, not reveal`);
  }
  const body = call.args[1];
  if (keccak256(body) !== state.bodyHash) {
    throw new RevealCalldataError(blockNumber, reveal.transactionHash, 'its body does not hash to the revealed body hash');
  }
  return body;
}
