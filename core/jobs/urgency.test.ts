import { describe, expect, it } from 'vitest';
import { syntheticBlockBody } from '../body/syntheticBlockBody.js';
import { InvalidLaneSplitsError } from '../errors/index.js';
import { jobIndexOf } from '../plan/jobAt.js';
import { planBlock } from '../plan/planBlock.js';
import { rfp2023 } from '../profiles/rfp2023.js';
import { DEFAULT_LANE_SLACK_SECONDS, laneCount, laneOf, laneSettings, latestStart, latestStartOf, returnedMessage, runDue } from './urgency.js';

const plan = planBlock(syntheticBlockBody({ txs: 2, publicCalls: { kind: 'fixed', calls: 1 }, seed: 'urgency' }), rfp2023, { blockId: 'r', trusted: true });

/** A run due at `provingDeadline`, at the cloud's time scale. */
const due = (provingDeadline: number) => runDue({ provingDeadline }, 1);

describe('latestStart', () => {
  it('is the deadline less the job remaining critical path: a leaf must start before the root', () => {
    const vm = jobIndexOf(plan, 'r/vm/1.0');
    expect(latestStart(plan, vm, due(1_000))).toBe(1_000 - 120);
    expect(latestStart(plan, plan.rootIndex, due(1_000))).toBe(1_000 - 30);
  });

  it('subtracts the remaining path on the run time scale: 120 expected seconds at 0.01 are 1.2 wall seconds', () => {
    const vm = jobIndexOf(plan, 'r/vm/1.0');
    expect(latestStart(plan, vm, runDue({ provingDeadline: 1_000 }, 0.01))).toBeCloseTo(1_000 - 1.2, 9);
    expect(latestStartOf(runDue({ provingDeadline: 1_000 }, 2), 120)).toBe(1_000 - 240);
  });

  it('orders jobs across runs: a later run leaf can be more urgent than an earlier run root', () => {
    expect(latestStart(plan, jobIndexOf(plan, 'r/vm/1.0'), due(1_000))).toBeLessThan(latestStart(plan, plan.rootIndex, due(1_200)));
  });
});

describe('laneOf', () => {
  const two = { laneSlackSeconds: DEFAULT_LANE_SLACK_SECONDS };

  it('puts a job with less than 300 s of slack in the urgent lane by default, the rest in the second', () => {
    expect(laneCount(two)).toBe(2);
    expect(laneOf(1_299, 1_000, two)).toBe(0);
    expect(laneOf(1_300, 1_000, two)).toBe(1);
    expect(laneOf(500, 1_000, two)).toBe(0);
  });

  it('splits at each slack boundary, and one lane holds everything without splits', () => {
    const three = laneSettings([60, 600]);
    expect([0, 59, 60, 599, 600, 10_000].map((slack) => laneOf(slack, 0, three))).toEqual([0, 0, 1, 1, 2, 2]);
    expect(laneOf(-5, 0, laneSettings([]))).toBe(0);
    expect(laneCount(laneSettings([]))).toBe(1);
  });

  it('refuses splits that are not ascending, negative or not finite', () => {
    for (const splits of [[300, 300], [600, 60], [-1], [Number.NaN], [Infinity]]) expect(() => laneSettings(splits)).toThrow(InvalidLaneSplitsError);
  });
});

describe('returnedMessage', () => {
  const message = { runId: 'r', jobId: 'r/vm/1.0', jobIndex: jobIndexOf(plan, 'r/vm/1.0'), latestStart: 1_500 };

  it('is due now: a job a stopping agent hands back goes to the urgent lane, not behind the backlog', () => {
    const back = returnedMessage(message, 1_000);
    expect(back).toEqual({ ...message, latestStart: 1_000 });
    expect(laneOf(message.latestStart, 1_000, { laneSlackSeconds: [300] })).toBe(1);
    expect(laneOf(back.latestStart, 1_000, { laneSlackSeconds: [300] })).toBe(0);
  });

  it('never makes a late job look less urgent', () => {
    expect(returnedMessage(message, 2_000).latestStart).toBe(1_500);
  });
});
