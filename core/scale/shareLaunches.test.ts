import { describe, expect, it } from 'vitest';
import type { RunWork, TierTarget } from '../ports/fleetTargets.js';
import type { Tier } from '../tiers.js';
import { EC2_RUN_INSTANCES_BUCKET, type LaunchRate } from './launchRate.js';
import { shareLaunches } from './shareLaunches.js';
import type { FleetSizing, TierDecision } from './sizeFleet.js';

const T0 = 1_700_000_000_000;
const rate: LaunchRate = { ...EC2_RUN_INSTANCES_BUCKET, agentsPerInstance: { heavy: 1, light: 1 }, startupSeconds: 75 };
// Agents asked for now are needed 90 + 10 s from now: 25 s of refill after the start-up.
const settings = { launchRate: rate, horizonSeconds: 90, lookaheadSeconds: 10, secondsPerExpectedSecond: 1 };

/** A sizing that starts `start` agents per tier; `work` names the runs with work left in each tier, `order` the urgency. */
function sizing(start: Record<Tier, number>, work: Record<Tier, readonly string[]>, order: readonly string[]): FleetSizing {
  const decision = (tier: Tier): TierDecision => ({ desired: start[tier], start: start[tier], target: start[tier], stop: 0, spot: true, why: 'sized' });
  const target = (tier: Tier): TierTarget => ({
    agents: start[tier],
    observed: 0,
    leftAtCount: 0,
    leftBefore: 0,
    quotaAgents: 100_000,
    aboveSince: null,
    work: work[tier].map((runId): RunWork => ({ runId, deadline: 0, reason: 'committed', remainingSeconds: 1_000 })),
    publishedAt: T0,
  });
  return {
    tiers: { heavy: decision('heavy'), light: decision('light') },
    targets: { heavy: target('heavy'), light: target('light') },
    pacing: new Map(),
    leaveReads: new Map(),
    latestStarts: new Map(),
    order,
  };
}

describe('shareLaunches', () => {
  it("does not let a heavy surge take the launches a more urgent block's light tail needs", () => {
    // The older block (due first) has only light work left; the new large block wants 8,100 heavy agents.
    const surge = sizing({ heavy: 8_100, light: 300 }, { heavy: ['new'], light: ['old', 'new'] }, ['old', 'new']);
    const { sizing: shared, budget } = shareLaunches(surge, T0, null, settings);
    expect(shared.tiers.light.start).toBe(300);
    // The bucket's 1,000 tokens and 25 s of refill, less the light tail's 300.
    expect(shared.tiers.heavy.start).toBe(1_050 - 300);
    expect(shared.tiers.heavy.why).toContain('7350 of 8100 not asked for yet');
    expect(budget).toEqual({ atMs: T0, tokens: 1_000 - 1_050 });
  });

  it('asks the next tick only for what the bucket has refilled, launches still waiting served first', () => {
    const surge = sizing({ heavy: 8_100, light: 0 }, { heavy: ['new'], light: [] }, ['new']);
    const first = shareLaunches(surge, T0, null, settings);
    expect(first.sizing.tiers.heavy.start).toBe(1_050);
    // 10 s later: -50 tokens + 20 refilled; 25 s more of refill by the horizon: 20 instances.
    const second = shareLaunches(surge, T0 + 10_000, first.budget, settings);
    expect(second.sizing.tiers.heavy.start).toBe(20);
    expect(second.budget!.tokens).toBe(-50);
    // After a quiet half hour the bucket is full again, never more.
    const later = shareLaunches(surge, T0 + 1_800_000, second.budget, settings);
    expect(later.sizing.tiers.heavy.start).toBe(1_050);
  });

  it('shares launches between equally urgent tiers in proportion to what they ask', () => {
    const both = sizing({ heavy: 2_100, light: 1_050 }, { heavy: ['b'], light: ['b'] }, ['b']);
    const { sizing: shared } = shareLaunches(both, T0, null, settings);
    expect(shared.tiers.heavy.start).toBe(700);
    expect(shared.tiers.light.start).toBe(350);
  });

  it('counts instances, not agents, when an instance hosts several agents', () => {
    const packed = { ...settings, launchRate: { ...rate, agentsPerInstance: { heavy: 4, light: 16 } } };
    const surge = sizing({ heavy: 8_000, light: 1_600 }, { heavy: ['new'], light: ['old'] }, ['old', 'new']);
    const { sizing: shared, budget } = shareLaunches(surge, T0, null, packed);
    expect(shared.tiers.light.start).toBe(1_600);
    expect(shared.tiers.heavy.start).toBe((1_050 - 100) * 4);
    expect(budget!.tokens).toBe(1_000 - 1_050);
  });

  it('changes nothing when the bucket can bring every agent up in time, or without a launch rate', () => {
    const small = sizing({ heavy: 400, light: 300 }, { heavy: ['a'], light: ['a'] }, ['a']);
    const fits = shareLaunches(small, T0, null, settings);
    expect(fits.sizing.tiers).toEqual(small.tiers);
    expect(fits.budget).toEqual({ atMs: T0, tokens: 300 });
    const { launchRate: _none, ...unaware } = settings;
    expect(shareLaunches(sizing({ heavy: 8_100, light: 0 }, { heavy: ['a'], light: [] }, ['a']), T0, null, unaware)).toEqual({
      sizing: sizing({ heavy: 8_100, light: 0 }, { heavy: ['a'], light: [] }, ['a']),
      budget: null,
    });
  });
});
