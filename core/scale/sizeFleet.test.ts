import { describe, expect, it } from 'vitest';
import type { AgentCount } from '../ports/agentCapacity.js';
import type { PublishedTarget } from '../ports/fleetTargets.js';
import type { ProvingRun } from '../ports/provingRun.js';
import type { Tier } from '../tiers.js';
import { sampleRun } from '../../test/support/sampleRun.js';
import { SCALING_T0, scalingPlan, scalingSettings } from '../../test/support/scalingFixtures.js';
import type { FleetObservation, ObservedRun, TierObservation } from './observeFleet.js';
import type { RunPacing } from './runPacing.js';
import { deadlineNeed, sizeFleet } from './sizeFleet.js';
import { widthProfile } from './widthProfile.js';

const plan = scalingPlan;
const profile = widthProfile(plan);
const T0 = SCALING_T0;
const L0 = T0 / 1_000;
const settings = scalingSettings;

const proving = (overrides: Partial<ProvingRun> = {}): ProvingRun =>
  sampleRun({ runId: 'b1', state: 'proving', provingStartedAt: T0, provingDeadline: L0 + 840, jobCount: plan.size, ...overrides });

interface TierState {
  ready?: number;
  inFlight?: number;
  agents?: AgentCount;
  published?: PublishedTarget | null;
}

/** An observation `seconds` after T0 of the given runs and tiers (empty queues and no agents unless said). */
function observe(seconds: number, runs: readonly ObservedRun[], tiers: Partial<Record<Tier, TierState>> = {}): FleetObservation {
  const tier = (state: TierState = {}): TierObservation => ({
    depth: { ready: state.ready ?? 0, inFlight: state.inFlight ?? 0 },
    agents: state.agents ?? { running: 0, starting: 0 },
    published: state.published ?? null,
  });
  return { wallMs: T0 + seconds * 1_000, l1Seconds: L0 + seconds, tiers: { heavy: tier(tiers.heavy), light: tier(tiers.light) }, runs };
}

const one = (run = proving(), doneJobs: number | null = null): ObservedRun => ({ run, profile, doneJobs });

const published = (overrides: Partial<PublishedTarget>): PublishedTarget => ({
  agents: 0,
  observed: 0,
  leftAtCount: 0,
  leftBefore: 0,
  quotaAgents: 10_000,
  aboveSince: null,
  work: [],
  publishedAt: T0,
  left: 0,
  ...overrides,
});

describe('sizeFleet', () => {
  it('starts a cold block with the heavy agents that end the VMs just in time, and publishes that as the target', () => {
    const sizing = sizeFleet(observe(0, [one()], { heavy: { ready: 2_048 } }), new Map(), settings);
    const heavy = sizing.tiers.heavy;
    expect(heavy.start).toBeGreaterThan(2_048 / 6);
    expect(heavy.start).toBeLessThan(2_048 / 2);
    expect(heavy).toMatchObject({ target: heavy.start, desired: heavy.start, stop: 0, spot: true });
    expect(sizing.targets.heavy).toMatchObject({ agents: heavy.start, observed: 0, quotaAgents: 10_000, aboveSince: null, publishedAt: T0 });
  });

  it('fixes the run’s pacing at its first tick and keeps it (without mutating what it was given)', () => {
    const first = sizeFleet(observe(0, [one()], { heavy: { ready: 2_048 } }), new Map(), settings);
    const pacing = first.pacing.get('b1')!;
    expect(pacing.finishAt).toBeCloseTo(80 + 1.08 * 420, 6);
    const given = new Map<string, RunPacing>([['b1', pacing]]);
    const later = sizeFleet(observe(100, [one()], { heavy: { ready: 2_048 - first.tiers.heavy.start, inFlight: first.tiers.heavy.start } }), given, settings);
    expect(later.pacing.get('b1')!.reference).toBe(pacing.reference);
    expect(given.get('b1')).toBe(pacing);
  });

  it('drops the pacing of runs that are no longer live', () => {
    const first = sizeFleet(observe(0, [one()]), new Map(), settings);
    expect(sizeFleet(observe(10, []), first.pacing, settings).pacing.size).toBe(0);
  });

  it('publishes each live run’s remaining work per tier as its reference schedule has it', () => {
    const committed = one();
    const race = one(proving({ runId: 'b2', reason: 'open-race', provingDeadline: L0 + 900 }));
    const first = sizeFleet(observe(0, [committed, race]), new Map(), settings);
    expect(first.targets.heavy.work).toEqual([
      { runId: 'b1', deadline: L0 + 840, reason: 'committed', remainingSeconds: 2_048 * 30 },
      { runId: 'b2', deadline: L0 + 900, reason: 'open-race', remainingSeconds: 2_048 * 30 },
    ]);
    expect(first.targets.light.work[0]!.remainingSeconds).toBe(4_095 * 30);
    // 300 s on, on plan: most VMs and some light work are done.
    const later = sizeFleet(observe(300, [committed, race]), first.pacing, settings);
    const heavy = later.targets.heavy.work[0]!.remainingSeconds;
    const light = later.targets.light.work[0]!.remainingSeconds;
    expect(heavy).toBeLessThan(2_048 * 30 * 0.5);
    expect(light).toBeLessThan(4_095 * 30);
    expect(light).toBeGreaterThan(heavy);
  });

  it('lowers the target instead of stopping agents when a tier has nothing left to do', () => {
    const sizing = sizeFleet(observe(300, [one()], { heavy: { agents: { running: 400, starting: 0 } } }), new Map(), settings);
    expect(sizing.tiers.heavy.stop).toBe(0);
    expect(sizing.tiers.heavy.target).toBeLessThan(0.1 * 400);
    expect(sizing.targets.heavy).toMatchObject({ observed: 400, aboveSince: T0 + 300_000 });
  });

  it('keeps, even idle, the agents the live runs’ remaining work needs by their deadlines (a stream between blocks)', () => {
    // Two blocks just revealed, their VMs queued; 2,000 light agents wait for the first kernels.
    const runs = [one(), one(proving({ runId: 'b2', provingDeadline: L0 + 900 }))];
    const light = { agents: { running: 2_000, starting: 0 } };
    const { target } = sizeFleet(observe(0, runs, { heavy: { ready: 4_096 }, light }), new Map(), settings).tiers.light;
    // 2 × 4,095 light proofs of 30 s by the later window (900 − 210 s): 357 agents; the rest may leave.
    expect(target).toBe(Math.ceil((2 * 4_095 * 30) / 690));
    // One block past its reference schedule's end needs none of them.
    const first = sizeFleet(observe(0, [one()], { heavy: { ready: 2_048 } }), new Map(), settings);
    const tail = sizeFleet(observe(600, [one()], { light }), first.pacing, settings).tiers.light;
    expect(tail.target).toBeLessThan(30);
  });

  it('stops only stragglers: agents not started yet, still above the target a straggler time after it went above', () => {
    const agents = { running: 400, starting: 0 };
    const since = T0 + 300_000;
    const early = sizeFleet(observe(389, [one()], { heavy: { agents, published: published({ aboveSince: since }) } }), new Map(), settings);
    expect(early.tiers.heavy.stop).toBe(0);
    expect(early.targets.heavy.aboveSince).toBe(since);
    // 90 s after: 300 of the 400 are still proving and 100 idle, but Batch cannot tell which: none is stopped (running
    // agents leave by themselves between jobs).
    const late = sizeFleet(observe(390, [one()], { heavy: { agents, inFlight: 300, published: published({ aboveSince: since }) } }), new Map(), settings);
    expect(late.tiers.heavy.stop).toBe(0);
    // Agents that have not started are the ones stopped (CancelJob costs no proof).
    const pending = { running: 400, starting: 20 };
    const withPending = sizeFleet(observe(390, [one()], { heavy: { agents: pending, inFlight: 300, published: published({ aboveSince: since }) } }), new Map(), settings);
    expect(withPending.tiers.heavy.stop).toBe(Math.min(420 - withPending.tiers.heavy.target, 20));
    expect(withPending.tiers.heavy.why).toContain('stragglers');
  });

  it('forgets when the tier went above its target once it is back at or below it', () => {
    const sizing = sizeFleet(observe(0, [one()], { heavy: { ready: 2_048, published: published({ aboveSince: T0 - 60_000 }) } }), new Map(), settings);
    expect(sizing.targets.heavy.aboveSince).toBeNull();
  });

  it('never sets a target above the quota, and lets a fleet above a lowered quota shrink', () => {
    const capped = { ...settings, maxAgents: { heavy: 50, light: 50 } };
    const sizing = sizeFleet(observe(0, [one()], { heavy: { ready: 2_048, agents: { running: 80, starting: 0 }, inFlight: 80 } }), new Map(), capped);
    expect(sizing.tiers.heavy).toMatchObject({ desired: 50, start: 0, target: 50 });
    expect(sizing.targets.heavy).toMatchObject({ observed: 80, quotaAgents: 50 });
  });

  it('orders runs committed first, then by latest start (deadline less remaining critical path)', () => {
    const runs = [
      one(proving({ runId: 'race', reason: 'open-race', provingDeadline: L0 + 500 })),
      one(proving({ runId: 'late', provingDeadline: L0 + 2_000 })),
      one(proving({ runId: 'soon', provingDeadline: L0 + 900 })),
      one(proving({ runId: 'soon-but-done', provingDeadline: L0 + 850 }), plan.size - 1),
    ];
    // soon-but-done has almost no critical path left: its latest start is after soon's.
    expect(sizeFleet(observe(0, runs), new Map(), settings).order).toEqual(['soon', 'soon-but-done', 'late', 'race']);
  });

  it('sizes an urgent fleet for the runs due soonest, not for every run’s work by the tightest deadline', () => {
    const urgent = { ...settings, urgentSlackSeconds: 10_000 };
    const soon = proving({ runId: 'soon', provingDeadline: L0 + 840 });
    const late = proving({ runId: 'late', provingDeadline: L0 + 8_400 });
    const alone = sizeFleet(observe(0, [one(soon, 0)]), new Map(), urgent).tiers.light.desired;
    const both = sizeFleet(observe(0, [one(soon, 0), one(late, 0)]), new Map(), urgent).tiers.light;
    expect(both.spot).toBe(false);
    // The late run's light work adds little: its own window is ten times longer.
    expect(both.desired).toBeLessThan(1.2 * alone);
    expect(both.desired).toBeGreaterThanOrEqual(alone);
  });
});

describe('deadlineNeed', () => {
  it('is a single run’s own work and window', () => {
    expect(deadlineNeed([{ work: 600, window: 60 }])).toEqual({ work: 600, window: 60 });
  });

  it('takes the prefix, by window, whose work per second is highest', () => {
    // Alone the soon run needs 10/s; with the next one 1,200/100 = 12/s; all three 1,300/1,000.
    const runs = [
      { work: 100, window: 1_000 },
      { work: 600, window: 60 },
      { work: 600, window: 100 },
    ];
    expect(deadlineNeed(runs)).toEqual({ work: 1_200, window: 100 });
  });

  it('needs nothing without runs', () => {
    expect(deadlineNeed([])).toEqual({ work: 0, window: Infinity });
  });
});
