import { encodeBlockBody } from '../../core/body/encodeBlockBody.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import type { BlockRunRequest } from '../../core/ports/blockRunDriver.js';
import { runIdFor } from '../../core/run/runIdFor.js';
import type { ProtocolFixture } from '../../l1/testing/protocolFixture.js';
import { blockInSlot, commitInSlot } from '../../l1/testing/protocolSteps.js';
import type { L1WalletClient } from '../../l1/transactions/l1Clients.js';

export interface CommittedBlockOptions {
  readonly slot: bigint;
  readonly txs: number;
  readonly sequencer: L1WalletClient;
  readonly prover: L1WalletClient;
  readonly seed: string;
}

/**
 * Proposes and reveals a synthetic `txs`-tx body in `slot`, commits `prover` to it, and returns the block run request
 * a watcher following L1 would start for it.
 */
export async function revealCommittedBlock(f: ProtocolFixture, options: CommittedBlockOptions): Promise<BlockRunRequest> {
  const body = encodeBlockBody(syntheticBlockBody({ txs: options.txs, publicCalls: { kind: 'fixed', calls: 3 }, seed: options.seed }));
  const { blockNumber } = await blockInSlot(f, options.slot, options.sequencer, body);
  // The smallest bond L1 takes for this many txs (protocol v2: minProverBond + proverBondPerTx × txCount).
  const bond = f.parameters.minProverBond + f.parameters.proverBondPerTx * BigInt(options.txs);
  await commitInSlot(f, options.prover, options.sequencer, { blockNumber, feeBps: 1_000, bond });
  const state = await f.rollupChain(options.prover).blockState(blockNumber);
  return {
    runId: runIdFor(blockNumber, state.bodyHash),
    blockNumber,
    slot: state.slot,
    bodyHash: state.bodyHash,
    revealedIn: `0x${blockNumber.toString(16).padStart(64, '0')}`,
    txCount: state.txCount,
    parentBlock: state.parentBlock,
    revealedAt: state.revealedAt,
    provingDeadline: state.provingDeadline,
    exclusiveUntil: state.exclusiveUntil,
    committedProver: state.committedProver,
    reason: 'committed',
  };
}
