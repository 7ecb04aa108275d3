import { describe, expect, it } from 'vitest';
import type { AgentCount } from '../ports/agentCapacity.js';
import type { PublishedTarget } from '../ports/fleetTargets.js';
import type { ProvingRun } from '../ports/provingRun.js';
import { TIERS, type Tier } from '../tiers.js';
import { sampleRun } from '../../test/support/sampleRun.js';
import { SCALING_T0, scalingPlan, scalingSettings } from '../../test/support/scalingFixtures.js';
import type { FleetObservation, ObservedRun, TierObservation } from './observeFleet.js';
import type { RunPacing } from './runPacing.js';
import { deadlineNeed, sizeFleet, type FleetSizing } from './sizeFleet.js';
import { widthProfile } from './widthProfile.js';
import { jobMessage } from '../jobs/jobMessage.js';
import { runDue } from '../jobs/urgency.js';

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

describe('sizeFleet: time scale and settings', () => {
  /** The same observation on a time axis `scale` times slower (the devnet's secondsPerExpectedSecond). */
  function observeScaled(scale: number, seconds: number, deadlines: readonly number[], heavy: TierState, light: TierState = {}): FleetObservation {
    const runs = deadlines.map((deadline, i) => one(proving({ runId: `b${i + 1}`, provingDeadline: L0 + deadline * scale })));
    return observe(seconds * scale, runs, { heavy, light });
  }

  it('sizes a slowed-down block (2 wall seconds per expected second) as the cloud one at the same point, publishing work in wall seconds', () => {
    const cases = [
      { seconds: 0, deadlines: [840], heavy: { ready: 2_048 } },
      { seconds: 40, deadlines: [840], heavy: { ready: 2_048, agents: { running: 0, starting: 683 } } },
      { seconds: 160, deadlines: [840], heavy: { ready: 1_500, inFlight: 683, agents: { running: 683, starting: 0 } } },
      // Deadline at risk: sized to the remaining work in the time left.
      { seconds: 0, deadlines: [400], heavy: { ready: 2_048 } },
      { seconds: 600, deadlines: [840], heavy: {}, light: { agents: { running: 300, starting: 0 } } },
      // Two blocks: idle light agents kept for their remaining work.
      { seconds: 0, deadlines: [840, 900], heavy: { ready: 4_096 }, light: { agents: { running: 2_000, starting: 0 } } },
    ];
    for (const { seconds, deadlines, heavy, light } of cases) {
      const sized = (scale: number) => {
        const scaled = { ...settings, secondsPerExpectedSecond: scale };
        const first = sizeFleet(observeScaled(scale, 0, deadlines, { ready: 2_048 * deadlines.length }), new Map(), scaled);
        return sizeFleet(observeScaled(scale, seconds, deadlines, heavy, light), first.pacing, scaled);
      };
      const [cloud, devnet] = [sized(1), sized(2)];
      // The same decisions (their `why` quotes the slack in wall seconds).
      const decisions = (sizing: FleetSizing) => TIERS.map((tier) => ({ ...sizing.tiers[tier], why: sizing.tiers[tier].why.replace(/slack -?\d+ s/, 'slack') }));
      expect(decisions(devnet)).toEqual(decisions(cloud));
      expect(devnet.pacing.get('b1')!.lagSeconds).toBe(cloud.pacing.get('b1')!.lagSeconds);
      for (const tier of TIERS) {
        expect(devnet.targets[tier].work.map((work) => work.remainingSeconds)).toEqual(cloud.targets[tier].work.map((work) => 2 * work.remainingSeconds));
      }
    }
  });

  it("reckons a run's latest start as its job messages do, on the time scale: at 0.01 the critical leaf's message and the scaler agree", () => {
    const scale = 0.01;
    const run = proving({ provingDeadline: L0 + 840 * scale });
    const sizing = sizeFleet(observe(0, [one(run)], { heavy: { ready: 2_048 } }), new Map(), { ...settings, secondsPerExpectedSecond: scale });
    const leaf = plan.remainingSeconds.indexOf(plan.criticalPathSeconds);
    const message = jobMessage(plan, leaf, runDue(run, scale)).message;
    expect(message.latestStart).toBe(sizing.latestStarts.get('b1'));
    // 420 expected seconds of critical path take 4.2 wall seconds: not the 420 an unscaled message would subtract.
    expect(message.latestStart).toBeCloseTo(run.provingDeadline - 4.2, 9);
  });

  it('aims at the configured stretch of the critical path (default 8 % over it)', () => {
    const start = (stretch: number | undefined) =>
      sizeFleet(observe(0, [one()], { heavy: { ready: 2_048 } }), new Map(), { ...settings, targetStretch: stretch }).pacing.get('b1')!;
    expect(start(1.3).finishAt).toBeCloseTo(80 + 1.3 * 420, 6);
    expect(start(undefined).finishAt).toBeCloseTo(80 + 1.08 * 420, 6);
  });

  it('aims to finish by the deadline less the urgent slack when the stretch would end later', () => {
    const finishAt = (deadline: number) =>
      sizeFleet(observe(0, [one(proving({ provingDeadline: L0 + deadline }))], { heavy: { ready: 2_048 } }), new Map(), settings).pacing.get('b1')!.finishAt;
    expect(finishAt(840)).toBeCloseTo(80 + 1.08 * 420, 6);
    expect(finishAt(650)).toBe(650 - 120);
  });

  it('takes the time elapsed as the progress of a run whose proofs the store cannot count', () => {
    // Deadline at risk 300 s in: sized to the work left, which without a count is what the ideal schedule has left.
    const urgent = (doneJobs: number | null) =>
      sizeFleet(observe(300, [one(proving({ provingDeadline: L0 + 450 }), doneJobs)]), new Map(), settings).tiers.light.desired;
    expect(urgent(null)).toBeLessThan(urgent(0));
    expect(urgent(null)).toBeGreaterThan(urgent(plan.size - 1));
  });

  it('asks for light agents one horizon plus one tick (the lookahead, default 15 s) before the first kernels are due', () => {
    const firstLightAt = (lookaheadSeconds: number | undefined) => {
      const tuned = { ...settings, lookaheadSeconds };
      const first = sizeFleet(observe(0, [one()], { heavy: { ready: 2_048 } }), new Map(), tuned);
      const heavy = { ready: 2_048, agents: { running: 0, starting: first.tiers.heavy.start } };
      for (let seconds = 0; seconds <= 60; seconds++) {
        if (sizeFleet(observe(seconds, [one()], { heavy }), first.pacing, tuned).tiers.light.start > 0) return seconds;
      }
      return null;
    };
    // The VMs start at 80 s and the first kernels at 110 s; agents take the horizon (80 s) to arrive.
    expect(firstLightAt(0)).toBe(30);
    expect(firstLightAt(undefined)).toBe(15);
    expect(firstLightAt(30)).toBe(0);
  });

  it('asks for what the schedule keeps busy once new agents would be working, and keeps what it needs until then', () => {
    // The reference keeps 683 light agents busy from 110 s, 1,024 from 170 s, 853 from 200 s, 426 from 230 s.
    const first = sizeFleet(observe(0, [one()], { heavy: { ready: 2_048 } }), new Map(), settings);
    const light = (seconds: number, running: number, tuned = settings) =>
      sizeFleet(observe(seconds, [one()], { light: { agents: { running, starting: 0 } } }), first.pacing, tuned).tiers.light;
    // At 150 s new agents would be working at 230 s: 426 are wanted then, though 1,024 are busy at 170 s.
    expect(light(150, 0)).toMatchObject({ desired: 426, start: 426 });
    // The 1,500 idle ones there keep the 1,024 the schedule needs before then.
    expect(light(150, 1_500).target).toBe(1_024);
    // With a 40 s lookahead at 125 s: the peak at 170 s is inside the horizon, before the 205–245 s window.
    expect(light(125, 1_500, { ...settings, lookaheadSeconds: 40 }).target).toBe(1_024);
  });

  it('counts agents still starting as the tier’s fleet', () => {
    const sizing = sizeFleet(observe(40, [one()], { heavy: { ready: 2_048, agents: { running: 100, starting: 583 } } }), new Map(), settings);
    expect(sizing.targets.heavy.observed).toBe(683);
    expect(sizing.tiers.heavy.start).toBe(sizing.tiers.heavy.desired - 683);
  });
});

describe('sizeFleet: stragglers', () => {
  const since = T0 + 300_000;
  const idleFleet = (seconds: number, tuned = settings) =>
    sizeFleet(observe(seconds, [one()], { heavy: { agents: { running: 300, starting: 100 }, published: published({ aboveSince: since }) } }), new Map(), tuned).tiers
      .heavy;

  it('waits the configured straggler time (default 90 s) before stopping anyone, and says for how long they stayed', () => {
    const quick = { ...settings, stragglerSeconds: 30 };
    expect(idleFleet(329, quick).stop).toBe(0);
    expect(idleFleet(330, quick).stop).toBeGreaterThan(0);
    const byDefault = { ...settings, stragglerSeconds: undefined };
    expect(idleFleet(389, byDefault).stop).toBe(0);
    const late = idleFleet(395, byDefault);
    // Only the 100 not started are stragglers; the running ones leave by themselves.
    expect(late.stop).toBe(Math.min(400 - late.target, 100));
    expect(late.why).toMatch(new RegExp(`; ${late.stop} stragglers above the target of ${late.target} for 95 s$`));
    expect(idleFleet(389, byDefault).why).not.toContain('stragglers');
  });

  it('stops no more than the surplus over the target, even when more agents have not started', () => {
    // Two blocks' light work keeps 357 of 2,000 light agents not started yet; the others went above the target 90 s ago.
    const runs = [one(), one(proving({ runId: 'b2', provingDeadline: L0 + 900 }))];
    const light = { agents: { running: 0, starting: 2_000 }, published: published({ aboveSince: T0 - 90_000 }) };
    const { target, stop } = sizeFleet(observe(0, runs, { heavy: { ready: 4_096 }, light }), new Map(), settings).tiers.light;
    expect(target).toBe(357);
    expect(stop).toBe(2_000 - 357);
  });

  it('above a lowered quota, stops only the agents not yet running (idle running ones leave by themselves)', () => {
    const capped = { ...settings, maxAgents: { heavy: 50, light: 50 } };
    const heavy = (inFlight: number, agents: AgentCount) =>
      sizeFleet(observe(0, [one()], { heavy: { ready: 2_048, inFlight, agents, published: published({ aboveSince: T0 - 90_000 }) } }), new Map(), capped).tiers
        .heavy;
    expect(heavy(80, { running: 80, starting: 0 })).toMatchObject({ target: 50, stop: 0 });
    // 20 idle of 80: Batch cannot tell them from the busy ones, so none is terminated.
    expect(heavy(60, { running: 80, starting: 0 }).stop).toBe(0);
    expect(heavy(80, { running: 80, starting: 10 }).stop).toBe(10);
  });
});

describe('sizeFleet: a run off its reference schedule', () => {
  // The reference of the fixture's block: 683 heavy agents from 80 s start VMs 1–683 at 80 s, 684–1,366 at 110 s and
  // 1,367–2,048 at 140 s; 1 % of the tier (21 VMs) either side of a round is not a lag.
  const first = sizeFleet(observe(0, [one()], { heavy: { ready: 2_048 } }), new Map(), settings);
  const lagAt = (seconds: number, started: number, pacing = first.pacing) =>
    sizeFleet(observe(seconds, [one()], { heavy: { ready: 2_048 - started, inFlight: 683, agents: { running: 683, starting: 0 } } }), pacing, settings).pacing.get('b1')!
      .lagSeconds;

  it('is behind by the time since the round it has not finished starting was due', () => {
    expect(lagAt(160, 548)).toBe(80);
    expect(lagAt(160, 1_366)).toBe(20);
    expect(lagAt(100, 662)).toBe(0);
    expect(lagAt(100, 661)).toBe(20);
  });

  it('is ahead (negative) when it has started a round before it was due, and on plan within it', () => {
    expect(lagAt(90, 1_500)).toBe(-50);
    expect(lagAt(90, 705)).toBe(-20);
    expect(lagAt(90, 704)).toBe(0);
    expect(lagAt(140, 1_500)).toBe(0);
  });

  it('does not count 1 % stragglers of a round as a lag', () => {
    expect(lagAt(115, 1_345)).toBe(0);
    expect(lagAt(115, 1_344)).toBe(5);
  });

  it('keeps the last lag once every source job has started (nothing left to measure it by)', () => {
    const behind = sizeFleet(observe(160, [one()], { heavy: { ready: 1_500 } }), first.pacing, settings);
    expect(behind.pacing.get('b1')!.lagSeconds).toBe(80);
    expect(lagAt(200, 2_048, behind.pacing)).toBe(80);
  });

  it('judges no lag from shared queues when several runs share the fleet', () => {
    const runs = [one(), one(proving({ runId: 'b2' }))];
    const start = sizeFleet(observe(0, runs, { heavy: { ready: 4_096 } }), new Map(), settings);
    const later = sizeFleet(observe(160, runs, { heavy: { ready: 4_000 } }), start.pacing, settings);
    expect([...later.pacing.values()].map((pacing) => pacing.lagSeconds)).toEqual([0, 0]);
  });

  it('re-paces the source tier only once the run is more than a third of a source round (10 s) behind', () => {
    const heavy = (seconds: number) =>
      sizeFleet(observe(seconds, [one()], { heavy: { ready: 1_548, inFlight: 500, agents: { running: 1_000, starting: 0 } } }), first.pacing, settings).tiers.heavy;
    expect(heavy(90).desired).toBe(682);
    // 11 s behind: the sources are paced from the 1,000 agents there (new ones would arrive too late to help).
    expect(heavy(91).desired).toBe(1_000);
  });

  it('re-paces from what the agents there can do: idle ones take a VM now, busy ones half a round later', () => {
    // A short horizon, so that new agents can still help the sources end in time.
    const quick = { ...settings, horizonSeconds: 10 };
    const start = sizeFleet(observe(0, [one()], { heavy: { ready: 2_048 } }), new Map(), quick);
    const desired = (agents: AgentCount, inFlight: number) =>
      sizeFleet(observe(30, [one()], { heavy: { ready: 1_700, inFlight, agents } }), start.pacing, quick).tiers.heavy.desired;
    expect(desired({ running: 300, starting: 0 }, 300)).toBe(1_000);
    expect(desired({ running: 300, starting: 0 }, 0)).toBe(850);
    expect(desired({ running: 300, starting: 0 }, 100)).toBe(900);
    // More in flight than running (the queue's count lags): all 200 are busy, none idle.
    expect(desired({ running: 200, starting: 0 }, 300)).toBe(950);
    // Agents asked for at the first tick, still starting, count from now (their planned start, 10 s, is past).
    expect(desired({ running: 200, starting: 100 }, 200)).toBe(950);
  });

  it('takes a queue of paced VMs as the plan, not as a backlog, for a single run', () => {
    // 100 s in, 1,500 VMs wait where the reference has 1,365: the run is re-paced, not given an agent per extra VM.
    const heavy = sizeFleet(observe(100, [one()], { heavy: { ready: 1_500, inFlight: 683, agents: { running: 683, starting: 0 } } }), first.pacing, settings).tiers
      .heavy;
    expect(heavy.desired).toBe(683);
  });

  it('counts queued VMs beyond the runs’ references as a backlog when several runs share the queue', () => {
    const runs = [one(), one(proving({ runId: 'b2' }))];
    const start = sizeFleet(observe(0, runs, { heavy: { ready: 4_096 } }), new Map(), settings);
    const expected = sum([...start.pacing.values()].map((pacing) => pacing.reference.queued('heavy', 100)));
    const heavy = sizeFleet(observe(100, runs, { heavy: { ready: expected + 270, inFlight: 1_366, agents: { running: 1_366, starting: 0 } } }), start.pacing, settings)
      .tiers.heavy;
    expect(heavy.desired).toBe(1_366 + 270);
  });

  it('measures the lag from the whole-tier sources only (queued light jobs say nothing about it)', () => {
    const lag = (lightReady: number) =>
      sizeFleet(
        observe(160, [one()], { heavy: { ready: 2_048 - 1_366, inFlight: 683, agents: { running: 683, starting: 0 } }, light: { ready: lightReady } }),
        first.pacing,
        settings,
      ).pacing.get('b1')!.lagSeconds;
    expect(lag(0)).toBe(20);
    expect(lag(500)).toBe(20);
  });

  it('paces only the whole-tier source tier of a lagging run: idle light agents are not wanted for it', () => {
    const light = sizeFleet(
      observe(160, [one()], { heavy: { ready: 2_048 - 1_366, inFlight: 683, agents: { running: 683, starting: 0 } }, light: { ready: 500, agents: { running: 3_000, starting: 0 } } }),
      first.pacing,
      settings,
    ).tiers.light;
    expect(light.desired).toBeLessThan(3_000);
  });

  it('paces nothing from a run’s old lag once another run shares the fleet', () => {
    const alone = sizeFleet(observe(160, [one()], { heavy: { ready: 1_500 } }), first.pacing, settings);
    expect(alone.pacing.get('b1')!.lagSeconds).toBe(80);
    const runs = [one(), one(proving({ runId: 'b2' }))];
    const shared = sizeFleet(observe(170, runs, { heavy: { ready: 1_500 + 2_048, agents: { running: 3_000, starting: 0 } } }), alone.pacing, settings);
    expect(shared.pacing.get('b1')!.lagSeconds).toBe(80);
    expect(shared.tiers.heavy.desired).toBeLessThan(3_000);
  });

  it('does not re-pace a tier whose source jobs have all started', () => {
    const behind = sizeFleet(observe(160, [one()], { heavy: { ready: 1_500 } }), first.pacing, settings);
    const done = sizeFleet(observe(170, [one()], { heavy: { ready: 0, inFlight: 300, agents: { running: 1_000, starting: 0 } } }), behind.pacing, settings);
    // Its last round: nothing waits and some agents are idle, so no agent is paced and each leaves as its proof ends.
    expect(done.tiers.heavy.why).toContain('last round of sources: 0 queued (0 held by agents gone) for 1000 running');
    expect(done.tiers.heavy.target).toBeLessThan(1_000);
  });
});

describe('deadlineNeed', () => {
  it('is a single run’s own work and window', () => {
    expect(deadlineNeed([{ work: 600, window: 60 }])).toEqual({ work: 600, window: 60 });
    // Less than an agent's worth of work is still the run's need.
    expect(deadlineNeed([{ work: 30, window: 60 }])).toEqual({ work: 30, window: 60 });
  });

  it('counts a window already gone as one second (the work is due now), not as a negative rate', () => {
    expect(deadlineNeed([{ work: 600, window: 60 }, { work: 100, window: -5 }])).toEqual({ work: 100, window: -5 });
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

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
