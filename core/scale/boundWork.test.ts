import { describe, expect, it } from 'vitest';
import { createMemoryFleetTargets } from '../../adapters/embedded/memoryFleetTargets.js';
import { countingCapacity } from '../../test/support/countingCapacity.js';
import { recordingLogger } from '../../test/support/memoryRunWorld.js';
import type { RunWork, TierTarget } from '../ports/fleetTargets.js';
import { applyFleetSizing } from './applyFleetSizing.js';
import { boundWork, FOLDED_RUNS_PREFIX, MAX_PUBLISHED_RUNS } from './boundWork.js';
import type { TierDecision } from './sizeFleet.js';

const work = (runId: string, deadline: number, remainingSeconds: number, reason: RunWork['reason'] = 'open-race'): RunWork => ({ runId, deadline, reason, remainingSeconds });

describe('boundWork', () => {
  it('publishes every run’s work while there are at most the cap', () => {
    const runs = Array.from({ length: MAX_PUBLISHED_RUNS }, (_, i) => work(`b${i}`, 1_000 - i, 10));
    expect(boundWork(runs)).toBe(runs);
  });

  it('keeps the most urgent runs (earliest deadline, then most work left) and folds the rest into one entry', () => {
    const runs = [
      work('late', 900, 50, 'committed'),
      work('soon-small', 100, 5),
      work('latest', 950, 20, 'prove-all'),
      work('soon-big', 100, 80),
      work('middle', 500, 10),
    ];
    expect(boundWork(runs, 3)).toEqual([
      work('soon-big', 100, 80),
      work('soon-small', 100, 5),
      work('middle', 500, 10),
      // Due at the earliest folded deadline, committed since one of them is: quoting reserves no less, no later.
      { runId: `${FOLDED_RUNS_PREFIX}2`, deadline: 900, reason: 'committed', remainingSeconds: 70 },
    ]);
  });

  it('keeps the published work bounded however many runs are live, losing none of its seconds', () => {
    const runs = Array.from({ length: 1_000 }, (_, i) => work(`b${i}`, 10_000 + (i % 37), i));
    const bounded = boundWork(runs);
    expect(bounded).toHaveLength(MAX_PUBLISHED_RUNS + 1);
    expect(bounded.reduce((total, run) => total + run.remainingSeconds, 0)).toBe(runs.reduce((total, run) => total + run.remainingSeconds, 0));
    expect(bounded.at(-1)).toMatchObject({ runId: `${FOLDED_RUNS_PREFIX}${1_000 - MAX_PUBLISHED_RUNS}`, reason: 'open-race' });
  });
});

describe('applyFleetSizing', () => {
  it('publishes each tier’s work bounded, as quoting reads it', async () => {
    const targets = createMemoryFleetTargets();
    const runs = Array.from({ length: 400 }, (_, i) => work(`b${i}`, 10_000 + i, 60));
    const target: TierTarget = { agents: 0, observed: 0, leftAtCount: 0, leftBefore: 0, quotaAgents: 10, aboveSince: null, work: runs, publishedAt: 1_000 };
    const decision: TierDecision = { desired: 0, start: 0, target: 0, stop: 0, spot: true, why: 'sized' };
    await applyFleetSizing(
      { targets, capacity: countingCapacity(), log: recordingLogger() },
      { tiers: { heavy: decision, light: decision }, targets: { heavy: target, light: target }, pacing: new Map(), leaveReads: new Map(), order: [], latestStarts: new Map() },
    );
    const published = (await targets.get('heavy'))!.work;
    expect(published).toHaveLength(MAX_PUBLISHED_RUNS + 1);
    expect(published.slice(0, 2).map((run) => run.runId)).toEqual(['b0', 'b1']);
    expect(published.at(-1)).toMatchObject({ deadline: 10_000 + MAX_PUBLISHED_RUNS, remainingSeconds: 60 * (400 - MAX_PUBLISHED_RUNS) });
  });
});
