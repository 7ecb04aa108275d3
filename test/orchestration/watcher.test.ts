import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLmdbJobStore } from '../../adapters/embedded/lmdbJobStore.js';
import { systemClock } from '../../adapters/embedded/systemClock.js';
import type { BlockRunDriver } from '../../core/ports/blockRunDriver.js';
import type { L1Follower } from '../../core/ports/l1.js';
import { silentLogger } from '../../core/ports/logger.js';
import { slotSchedule } from '../../core/protocol/slotSchedule.js';
import { ORPHANED_REVEAL } from '../../core/run/reviveRun.js';
import { runIdFor } from '../../core/run/runIdFor.js';
import { watchL1, type WatchSettings } from '../../core/watch/watchL1.js';
import { FAKE_PARAMETERS, fakeRollupChain } from '../support/fakeRollupChain.js';
import { at, committed, hash, recordingDriver, revealed, scriptedFollower, THEM, US } from '../support/watchScript.js';

describe('the watcher', () => {
  let directory: string;
  let store: ReturnType<typeof openLmdbJobStore>;
  const chain = fakeRollupChain(US);
  const settings: WatchSettings = {
    cursorName: 'watch',
    keepFinished: 4,
    policy: { mode: 'committed', proverId: US, estimateSeconds: () => 30, estimateCostWei: () => 0n, raceLeadSeconds: 0 },
  };
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'pb-watch-'));
    store = openLmdbJobStore(directory);
    chain.now = slotSchedule(FAKE_PARAMETERS, 5n).commitEnd + 1;
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });
  const tick = (follower: L1Follower, driver: BlockRunDriver) =>
    watchL1({ store, follower, chain, driver, clock: systemClock, log: silentLogger }, settings);

  it('starts a run for a block committed to us, once, across ticks', async () => {
    const { driver, started } = recordingDriver();
    const follower = scriptedFollower([{ events: [revealed(3n, hash('ab'), 'a1'), committed(3n, US)] }]);
    const first = await tick(follower, driver);
    expect(first).toMatchObject({ events: 2, started: [runIdFor(3n, hash('ab'))], saved: true });
    expect(started[0]).toMatchObject({ blockNumber: 3n, bodyHash: hash('ab'), committedProver: US, reason: 'committed', revealedIn: hash('a1') });
    expect((await tick(follower, driver)).started).toEqual([]);
    expect(started).toHaveLength(1);
  });

  it("leaves other firms' commitments alone in committed mode", async () => {
    const { driver, started } = recordingDriver();
    await tick(scriptedFollower([{ events: [revealed(3n, hash('ab'), 'a1'), committed(3n, THEM)] }]), driver);
    expect(started).toEqual([]);
  });

  it('stops the run of a reveal orphaned by a reorg, and revives it when the same body is revealed again', async () => {
    const { driver, started, failed } = recordingDriver();
    const reveal = revealed(3n, hash('ab'), 'a1');
    const follower = scriptedFollower([
      { events: [reveal, committed(3n, US)] },
      { retracted: [committed(3n, US), reveal] },
      { events: [revealed(3n, hash('ab'), 'b2'), committed(3n, US)] },
    ]);
    await tick(follower, driver);
    const orphaned = await tick(follower, driver);
    expect(orphaned.stopped).toEqual([{ runId: runIdFor(3n, hash('ab')), reason: ORPHANED_REVEAL }]);
    expect(failed).toEqual([{ runId: runIdFor(3n, hash('ab')), reason: ORPHANED_REVEAL }]);
    const back = await tick(follower, driver);
    expect(back.started).toEqual([runIdFor(3n, hash('ab'))]);
    expect(started.map((request) => request.revealedIn)).toEqual([hash('a1'), hash('b2')]);
  });

  it('keeps the run going when a reorg re-reveals the same body within one tick', async () => {
    const { driver, failed } = recordingDriver();
    const reveal = revealed(3n, hash('ab'), 'a1');
    const follower = scriptedFollower([
      { events: [reveal, committed(3n, US)] },
      { retracted: [committed(3n, US), reveal], events: [revealed(3n, hash('ab'), 'b2'), committed(3n, US)] },
    ]);
    await tick(follower, driver);
    await tick(follower, driver);
    expect(failed).toEqual([]);
  });

  it('stops runs whose block was pruned or proven by another firm, not those proven by us', async () => {
    const { driver, failed } = recordingDriver();
    const follower = scriptedFollower([
      { events: [revealed(3n, hash('ab'), 'a1'), committed(3n, US), revealed(4n, hash('cd'), 'a2'), committed(4n, US), revealed(5n, hash('ef'), 'a3'), committed(5n, US)] },
      {
        events: [
          { type: 'BlockPruned', blockNumber: 3n, at: at(20, '20') },
          { type: 'BlockProven', blockNumber: 4n, proverId: THEM, submitter: THEM, newStateRoot: hash('01'), proverReward: 1n, at: at(21, '21') },
          { type: 'BlockProven', blockNumber: 5n, proverId: US, submitter: US, newStateRoot: hash('02'), proverReward: 1n, at: at(22, '22') },
        ],
      },
    ]);
    await tick(follower, driver);
    await tick(follower, driver);
    expect(failed).toEqual([
      { runId: runIdFor(3n, hash('ab')), reason: 'the block was pruned' },
      { runId: runIdFor(4n, hash('cd')), reason: `proven first by ${THEM}` },
    ]);
    await tick(follower, driver);
    expect(failed).toHaveLength(2);
  });

  it('starts nothing twice when two ticks race, and only one of them saves the cursor', async () => {
    const { driver, started } = recordingDriver();
    const events = [revealed(3n, hash('ab'), 'a1'), committed(3n, US)];
    const [a, b] = await Promise.all([tick(scriptedFollower([{ events }]), driver), tick(scriptedFollower([{ events }]), driver)]);
    expect([a.saved, b.saved].sort()).toEqual([false, true]);
    expect([...a.started, ...b.started]).toHaveLength(1);
    expect(new Set(started.map((request) => request.runId)).size).toBe(1);
  });
});
