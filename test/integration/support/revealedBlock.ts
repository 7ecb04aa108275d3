import { keccak256, parseEventLogs } from 'viem';
import { rollupAbi } from '../../../contracts/artifacts/rollup.js';
import { encodeBlockBody } from '../../../core/body/encodeBlockBody.js';
import { syntheticBlockBody } from '../../../core/body/syntheticBlockBody.js';
import type { BlockRunRequest } from '../../../core/ports/blockRunDriver.js';
import { runIdFor } from '../../../core/run/runIdFor.js';
import { revealBlock } from '../../../l1/sequencer/sequencerActions.js';
import type { ProtocolFixture } from '../../../l1/testing/protocolFixture.js';
import { proposeInSlot, stakeSequencers } from '../../../l1/testing/protocolSteps.js';

/**
 * A sequencer (wallet 1) stakes, proposes and reveals a synthetic body of `txs` txs with one public call each in
 * `slot`; returns the BlockRunRequest the watcher would start a run with (reason prove-all).
 */
export async function revealedBlock(f: ProtocolFixture, { txs, seed, slot = 1n }: { txs: number; seed: string; slot?: bigint }): Promise<BlockRunRequest> {
  const sequencer = f.wallets[1]!;
  await stakeSequencers(f, [sequencer]);
  const body = encodeBlockBody(syntheticBlockBody({ txs, publicCalls: { kind: 'fixed', calls: 1 }, seed }));
  await proposeInSlot(f, slot, sequencer, body);
  await f.advanceTo(f.schedule(slot).revealStart);
  const reveal = await revealBlock(sequencer, f.deployment.rollup, slot, body);
  const blockNumber = parseEventLogs({ abi: rollupAbi, logs: reveal.logs, eventName: 'BlockRevealed' })[0]!.args.blockNumber;
  const block = await f.rollupChain(sequencer).blockState(blockNumber);
  return {
    runId: runIdFor(blockNumber, keccak256(body)),
    blockNumber,
    slot,
    bodyHash: block.bodyHash,
    revealedIn: reveal.blockHash,
    txCount: block.txCount,
    parentBlock: block.parentBlock,
    revealedAt: block.revealedAt,
    provingDeadline: block.provingDeadline,
    exclusiveUntil: block.exclusiveUntil,
    committedProver: block.committedProver,
    reason: 'prove-all',
  };
}
