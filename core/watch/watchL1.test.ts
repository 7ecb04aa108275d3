import { describe, expect, it } from 'vitest';
import { parseWithBigints } from '../json/bigintJson.js';
import type { FollowStep, RollupEvent } from '../ports/l1.js';
import { silentLogger } from '../ports/logger.js';
import { slotSchedule } from '../protocol/slotSchedule.js';
import { runIdFor } from '../run/runIdFor.js';
import { emptyControlPlaneCounts } from '../../sim/world/controlPlaneMeter.js';
import { delayedPort } from '../../sim/world/delayedPort.js';
import { createSimJobStore } from '../../sim/world/simJobStore.js';
import { FAKE_PARAMETERS, fakeRollupChain } from '../../test/support/fakeRollupChain.js';
import { manualClock } from '../../test/support/manualClock.js';
import { at, committed, hash, recordingDriver, revealed, scriptedFollower, THEM, US } from '../../test/support/watchScript.js';
import type { BlockBook } from './blockBook.js';
import { watchL1, type WatchSettings } from './watchL1.js';

const settings: WatchSettings = {
  cursorName: 'watch',
  keepFinished: 2,
  policy: { mode: 'committed', proverId: US, estimateSeconds: () => 30, estimateCostWei: () => 0n, raceLeadSeconds: 0 },
};
const pruned = (blockNumber: bigint): RollupEvent => ({ type: 'BlockPruned', blockNumber, at: at(20, '20') });

/** A watcher over an in-memory store, fed `steps` one tick at a time. */
function watcher(steps: Partial<FollowStep>[]) {
  const store = delayedPort(createSimJobStore(emptyControlPlaneCounts()));
  const chain = fakeRollupChain(US);
  chain.now = slotSchedule(FAKE_PARAMETERS, 5n).commitEnd + 1;
  const follower = scriptedFollower(steps);
  const recorded = recordingDriver();
  const tick = () => watchL1({ store, follower, chain, driver: recorded.driver, clock: manualClock(), log: silentLogger }, settings);
  const book = async () => parseWithBigints<{ book: BlockBook }>((await store.getCursor<string>('watch'))!.value).book;
  return { store, chain, tick, book, ...recorded };
}

describe('watchL1', () => {
  it('starts a run with everything the block run needs to know about the block', async () => {
    const w = watcher([{ events: [revealed(3n, hash('ab'), 'a1'), committed(3n, US)] }]);
    await w.tick();
    const reveal = revealed(3n, hash('ab'), 'a1') as Extract<RollupEvent, { type: 'BlockRevealed' }>;
    const commitment = committed(3n, US) as Extract<RollupEvent, { type: 'ProverCommitted' }>;
    expect(w.started).toEqual([
      {
        runId: runIdFor(3n, hash('ab')),
        blockNumber: 3n,
        slot: 5n,
        bodyHash: hash('ab'),
        revealedIn: hash('a1'),
        txCount: 8,
        parentBlock: 2n,
        revealedAt: reveal.revealedAt,
        provingDeadline: reveal.provingDeadline,
        exclusiveUntil: commitment.exclusiveUntil,
        committedProver: US,
        reason: 'committed',
      },
    ]);
    expect((await w.book())['3']).toMatchObject({ runId: runIdFor(3n, hash('ab')), startedFor: hash('a1') });
  });

  it('asks L1 for its parameters and time only when a block waits for a decision', async () => {
    const w = watcher([{ events: [revealed(3n, hash('ab'), 'a1'), committed(3n, US)] }, {}, { events: [pruned(3n)] }]);
    await w.tick();
    expect([w.chain.calls.get('parameters'), w.chain.calls.get('latestTimestamp')]).toEqual([1, 1]);
    await w.tick();
    await w.tick();
    expect([w.chain.calls.get('parameters'), w.chain.calls.get('latestTimestamp')]).toEqual([1, 1]);
  });

  it('decides only for blocks not started yet, however many ticks and blocks there are', async () => {
    const w = watcher([
      { events: [revealed(3n, hash('ab'), 'a1'), committed(3n, US)] },
      { events: [revealed(4n, hash('cd'), 'a2'), committed(4n, US)] },
      { events: [revealed(5n, hash('ef'), 'a3'), committed(5n, THEM)] },
    ]);
    await w.tick();
    await w.tick();
    await w.tick();
    expect(w.started.map((request) => request.blockNumber)).toEqual([3n, 4n]);
  });

  it('leaves a block the policy passes over unstarted, to be asked about again', async () => {
    const w = watcher([{ events: [revealed(3n, hash('ab'), 'a1')] }]);
    const first = await w.tick();
    expect(first).toMatchObject({ started: [], saved: true });
    expect((await w.book())['3']).toMatchObject({ runId: '', startedFor: '' });
  });

  it('records a stopped run in the book, so it is not stopped twice nor started again', async () => {
    const w = watcher([{ events: [revealed(3n, hash('ab'), 'a1'), committed(3n, US)] }, { events: [pruned(3n)] }]);
    await w.tick();
    expect((await w.tick()).stopped).toEqual([{ runId: runIdFor(3n, hash('ab')), reason: 'the block was pruned' }]);
    expect((await w.book())['3']).toMatchObject({ status: 'pruned', startedFor: '', stopReason: 'the block was pruned', runId: runIdFor(3n, hash('ab')) });
    await w.tick();
    expect(w.failed).toHaveLength(1);
    expect(w.started).toHaveLength(1);
  });

  it('stops nothing for a block it never started', async () => {
    const w = watcher([{ events: [revealed(3n, hash('ab'), 'a1'), committed(3n, THEM)] }, { events: [pruned(3n)] }]);
    await w.tick();
    expect((await w.tick()).stopped).toEqual([]);
    expect(w.failed).toEqual([]);
  });

  it('keeps its own proof however the address is cased', async () => {
    const w = watcher([
      { events: [revealed(3n, hash('ab'), 'a1'), committed(3n, US)] },
      { events: [{ type: 'BlockProven', blockNumber: 3n, proverId: US.toUpperCase().replace('0X', '0x') as typeof US, submitter: US, newStateRoot: hash('01'), proverReward: 1n, at: at(21, '21') }] },
    ]);
    await w.tick();
    expect((await w.tick()).stopped).toEqual([]);
  });

  it('keeps every block in play and only the newest keepFinished finished ones', async () => {
    const blocks = [3n, 4n, 5n, 6n];
    const w = watcher([
      { events: blocks.flatMap((n) => [revealed(n, hash(`${n}${n}`), 'a1')]).concat(revealed(9n, hash('99'), 'a9')) },
      { events: blocks.map(pruned) },
    ]);
    await w.tick();
    await w.tick();
    expect(Object.keys(await w.book()).sort()).toEqual(['5', '6', '9']);
  });

  it('says how many events it folded in and retracted', async () => {
    const reveal = revealed(3n, hash('ab'), 'a1');
    const w = watcher([{ events: [reveal, committed(3n, US)] }, { retracted: [committed(3n, US), reveal] }]);
    expect(await w.tick()).toMatchObject({ events: 2, retracted: 0 });
    expect(await w.tick()).toMatchObject({ events: 0, retracted: 2 });
  });
});
