import type { Address } from 'viem';
import { rollupAbi } from '../../contracts/artifacts/rollup.js';
import type { L1Receipt, RollupChain } from '../../core/ports/l1.js';
import { encodeRootPublicInputs } from '../../core/protocol/publicInputs.js';
import type { ProtocolParameters } from '../../core/protocol/types.js';
import { ProofDeadlinePassedError } from '../errors/l1Errors.js';
import { contractQuote } from '../quotes/contractQuote.js';
import type { L1PublicClient, L1WalletClient } from '../transactions/l1Clients.js';
import { toRollupBlockState } from './blockStateCodec.js';
import { fromContractParameters } from './parametersCodec.js';
import { readRevealedBody } from './readRevealedBody.js';
import { rollupCallAbi } from './rollupCallAbi.js';
import { waitWithGasBumping } from '../transactions/waitWithGasBumping.js';

export interface CreateRollupChainParameters {
  readonly publicClient: L1PublicClient;
  /** Signs our transactions; any viem Account (a local key, or a remote signer such as KMS). */
  readonly walletClient: L1WalletClient;
  readonly rollup: Address;
  /** How long a submission may stay pending before its fees are bumped. @default 24000 (two L1 blocks) */
  readonly bumpAfterMs?: number;
}

/** The RollupChain port on viem clients. */
export function createRollupChain({ publicClient, walletClient, rollup, bumpAfterMs = 24_000 }: CreateRollupChainParameters): RollupChain {
  const read = { address: rollup, abi: rollupAbi } as const;
  const write = { address: rollup, abi: rollupCallAbi, account: walletClient.account, chain: walletClient.chain } as const;
  // Parameters are fixed at deployment: read them once.
  let parameters: Promise<ProtocolParameters> | undefined;

  const latestTimestamp = async () => Number((await publicClient.getBlock({ blockTag: 'latest' })).timestamp);

  return {
    account: walletClient.account.address,
    rollup,
    chainId: walletClient.chain.id,

    parameters() {
      parameters ??= publicClient.readContract({ ...read, functionName: 'parameters' }).then(fromContractParameters);
      return parameters;
    },

    async tips() {
      const [proven, pending] = await publicClient.readContract({ ...read, functionName: 'tips' });
      return { proven, pending };
    },

    async blockState(blockNumber) {
      const state = await publicClient.readContract({ ...read, functionName: 'blockState', args: [blockNumber] });
      return toRollupBlockState(blockNumber, state);
    },

    revealedBody(blockNumber) {
      return readRevealedBody(publicClient, rollup, blockNumber);
    },

    latestTimestamp,

    async submitProof({ publicInputs, proof, deadline }) {
      const now = await latestTimestamp();
      if (now > deadline) throw new ProofDeadlinePassedError(publicInputs.blockNumber, deadline, now);
      return walletClient.writeContract({
        ...write,
        functionName: 'submitProof',
        args: [publicInputs.blockNumber, encodeRootPublicInputs(publicInputs), proof],
      });
    },

    async waitForReceipt(txHash, confirmations, options = {}): Promise<L1Receipt> {
      const receipt =
        options.deadline === undefined
          ? await publicClient.waitForTransactionReceipt({ hash: txHash, confirmations, pollingInterval: 250 })
          : await waitWithGasBumping(publicClient, walletClient, txHash, { confirmations, deadline: options.deadline, bumpAfterMs, pollingIntervalMs: 250 });
      return { txHash: receipt.transactionHash, status: receipt.status, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed };
    },

    commitProver(quote, sequencerSignature) {
      return walletClient.writeContract({
        ...write,
        functionName: 'commitProver',
        args: [contractQuote(quote), quote.proverSignature, sequencerSignature],
      });
    },
  };
}
