import type { BlockRunDriver, BlockRunRequest } from '../../core/ports/blockRunDriver.js';
import type { FollowStep, L1Follower, RollupEvent } from '../../core/ports/l1.js';
import { slotSchedule } from '../../core/protocol/slotSchedule.js';
import type { Address, Bytes32 } from '../../core/protocol/types.js';
import { FAKE_PARAMETERS } from './fakeRollupChain.js';

/** Rollup events, a scripted follower and a recording driver for the watcher's tests (slot 5 of FAKE_PARAMETERS). */
export const US: Address = '0x00000000000000000000000000000000000000aa';
export const THEM: Address = '0x00000000000000000000000000000000000000bb';
export const hash = (byte: string): Bytes32 => `0x${byte.repeat(32)}`;
export const at = (block: number, byte: string) => ({ blockNumber: BigInt(block), blockHash: hash(byte), txHash: hash('99'), logIndex: 0 });

export const revealed = (blockNumber: bigint, bodyHash: Bytes32, l1BlockByte: string): RollupEvent => ({
  type: 'BlockRevealed',
  blockNumber,
  slot: 5n,
  sequencer: THEM,
  bodyHash,
  txCount: 8,
  parentBlock: blockNumber - 1n,
  revealedAt: slotSchedule(FAKE_PARAMETERS, 5n).revealStart + 1,
  provingDeadline: slotSchedule(FAKE_PARAMETERS, 5n).commitStart + 300,
  proofSystemVersion: 1,
  at: at(10, l1BlockByte),
});
export const committed = (blockNumber: bigint, proverId: Address): RollupEvent => ({
  type: 'ProverCommitted',
  blockNumber,
  proverId,
  feeBps: 1_000,
  bond: 10n ** 17n,
  exclusiveUntil: slotSchedule(FAKE_PARAMETERS, 5n).commitEnd + 60,
  at: at(11, '11'),
});

/** A follower that hands out the scripted steps in order, then empty ones. */
export function scriptedFollower(steps: Partial<FollowStep>[]): L1Follower {
  let n = 0;
  return {
    async follow() {
      const step = steps[n++] ?? {};
      return { retracted: step.retracted ?? [], events: step.events ?? [], cursor: { nextBlock: BigInt(n), recent: [] } };
    },
  };
}

/** A driver that records every start and failure; a second start of the same reveal returns false. */
export function recordingDriver() {
  const started: BlockRunRequest[] = [];
  const failed: { runId: string; reason: string }[] = [];
  const seen = new Set<string>();
  const driver: BlockRunDriver = {
    async start(request) {
      started.push(request);
      const key = `${request.runId}@${request.revealedIn}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
    async rootProven() {},
    async fail(runId, reason) {
      failed.push({ runId, reason });
    },
  };
  return { driver, started, failed };
}
