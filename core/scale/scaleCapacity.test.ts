import { describe, expect, it } from 'vitest';
import type { AgentCapacity, AgentCount } from '../ports/agentCapacity.js';
import { silentLogger } from '../ports/logger.js';
import type { WorkQueue } from '../ports/workQueue.js';
import type { Tier } from '../tiers.js';
import { sampleRun } from '../../test/support/sampleRun.js';
import { SCALING_T0, scalingPlan, scalingSettings } from '../../test/support/scalingFixtures.js';
import { scaleCapacity } from './scaleCapacity.js';
import type { ScalingSettings } from './scalingSettings.js';
import { createScalerMemory } from './scalerMemory.js';
import { createMemoryFleetTargets } from '../../adapters/embedded/memoryFleetTargets.js';

const plan = scalingPlan;
const T0 = SCALING_T0;
const run = sampleRun({ runId: 'b1', state: 'proving', provingStartedAt: T0, provingDeadline: T0 / 1_000 + 840, jobCount: plan.size });
/** The next block of a stream, revealed a minute later. */
const next = { ...run, runId: 'b2', provingStartedAt: T0 + 60_000, provingDeadline: T0 / 1_000 + 900 };
const third = { ...run, runId: 'b3', provingStartedAt: T0 + 200_000, provingDeadline: T0 / 1_000 + 1_040 };
const settings = scalingSettings;

/** A queue and a fleet the test sets, recording what the scaler asks of them. */
function world(tickSettings: ScalingSettings = settings) {
  const depth: Record<Tier, { ready: number; inFlight: number; dead: number }> = {
    heavy: { ready: 2_048, inFlight: 0, dead: 0 },
    light: { ready: 0, inFlight: 0, dead: 0 },
  };
  const agents: Record<Tier, AgentCount> = { heavy: { running: 0, starting: 0 }, light: { running: 0, starting: 0 } };
  const started: Record<Tier, number> = { heavy: 0, light: 0 };
  const stopped: Record<Tier, number> = { heavy: 0, light: 0 };
  const spot: boolean[] = [];
  const queue = { depth: async (tier: Tier) => depth[tier] } as unknown as WorkQueue;
  const capacity: AgentCapacity = {
    count: async (tier) => agents[tier],
    async start(tier, count, options) {
      started[tier] += count;
      spot.push(options.spot);
    },
    async stop(tier, count) {
      stopped[tier] += count;
    },
  };
  const scaler = createScalerMemory();
  const profiles = scaler.profiles;
  const targets = createMemoryFleetTargets();
  const known = new Map([run, next, third].map((live) => [live.runId, live]));
  const deps = { queue, capacity, targets, runs: { get: async (runId: string) => ({ run: known.get(runId)!, plan }) }, log: silentLogger, scaler };
  const tick = (seconds: number, active = [run]) =>
    scaleCapacity(deps, tickSettings, active.map((live) => ({ run: live, doneJobs: null })), { wallMs: T0 + seconds * 1_000, l1Seconds: T0 / 1_000 + seconds });
  const starts: number[] = [];
  const stops: number[] = [];
  const start = capacity.start.bind(capacity);
  const stop = capacity.stop.bind(capacity);
  capacity.start = (tier, count, options) => (starts.push(count), start(tier, count, options));
  capacity.stop = (tier, count) => (stops.push(count), stop(tier, count));
  return { depth, agents, started, stopped, spot, tick, deps, profiles, targets, starts, stops };
}

describe('scaleCapacity', () => {
  it('starts a cold block with the heavy agents that end the VMs just in time, not one per queued VM', async () => {
    const w = world();
    await w.tick(0);
    // Finish 8 % after the critical path once agents arrive: the VMs fit in a few 30 s rounds.
    expect(w.started.heavy).toBeGreaterThan(2_048 / 6);
    expect(w.started.heavy).toBeLessThan(2_048 / 2);
    expect(w.spot.every(Boolean)).toBe(true);
  });

  it('asks for light agents one horizon ahead of the kernels the VMs will release', async () => {
    const w = world();
    await w.tick(0);
    expect(w.started.light).toBe(0);
    w.agents.heavy = { running: 0, starting: w.started.heavy };
    await w.tick(40);
    expect(w.started.light).toBeGreaterThan(0);
  });

  it('adds nothing while the run is on plan', async () => {
    const w = world();
    await w.tick(0);
    const heavy = w.started.heavy;
    w.agents.heavy = { running: heavy, starting: 0 };
    w.depth.heavy = { ready: 2_048 - heavy, inFlight: heavy, dead: 0 };
    await w.tick(100);
    expect(w.started.heavy).toBe(heavy);
  });

  it('re-paces a run that fell behind (agents lost) from what is really left', async () => {
    const w = world();
    await w.tick(0);
    const heavy = w.started.heavy;
    // At 160 s the plan expected most VMs started; a third of the agents vanished and most VMs still wait.
    w.agents.heavy = { running: Math.round(heavy * 0.7), starting: 0 };
    w.depth.heavy = { ready: 1_500, inFlight: Math.round(heavy * 0.7), dead: 0 };
    await w.tick(160);
    expect(w.started.heavy).toBeGreaterThan(heavy);
  });

  it('lowers the target once a tier has nothing left to do, and stops no agent itself', async () => {
    const w = world();
    await w.tick(0);
    expect(await w.targets.get('heavy')).toMatchObject({ agents: w.started.heavy, observed: 0, aboveSince: null, left: 0 });
    w.agents.heavy = { running: w.started.heavy, starting: 0 };
    w.depth.heavy = { ready: 0, inFlight: 0, dead: 0 };
    await w.tick(300);
    expect(w.stopped.heavy).toBe(0);
    const target = (await w.targets.get('heavy'))!;
    expect(target).toMatchObject({ observed: w.started.heavy, aboveSince: T0 + 300_000 });
    expect(w.started.heavy - target.agents).toBeGreaterThan(0.9 * w.started.heavy);
  });

  it('stops the agents still not started that did not go by themselves, a straggler time later', async () => {
    const w = world();
    await w.tick(0);
    w.agents.heavy = { running: w.started.heavy, starting: 0 };
    w.depth.heavy = { ready: 0, inFlight: 0, dead: 0 };
    await w.tick(300);
    const { agents: target } = (await w.targets.get('heavy'))!;
    // Most left by themselves; ten others were never placed (still waiting RUNNABLE).
    w.agents.heavy = { running: target, starting: 10 };
    await w.tick(300 + settings.stragglerSeconds! - 1);
    expect(w.stopped.heavy).toBe(0);
    await w.tick(300 + settings.stragglerSeconds!);
    expect(w.stopped.heavy).toBeGreaterThanOrEqual(10);
    expect(w.stops).toHaveLength(1);
  });

  it('sheds idle heavy agents as soon as every VM has started, even in a run that fell behind (without the scale-down hold)', async () => {
    const w = world({ ...settings, scaleDownHoldSeconds: 0 });
    await w.tick(0);
    const heavy = w.started.heavy;
    // Behind plan at 130 s (most VMs still waiting), so the sources are re-paced from what is left...
    w.agents.heavy = { running: heavy, starting: 0 };
    w.depth.heavy = { ready: 1_500, inFlight: heavy, dead: 0 };
    await w.tick(130);
    // ...then the last VMs start at 140 s: the reference still shows heavy work ahead, but none can come.
    w.depth.heavy = { ready: 0, inFlight: 100, dead: 0 };
    await w.tick(140);
    const { agents: target } = (await w.targets.get('heavy'))!;
    expect(w.agents.heavy.running - target).toBeGreaterThan(0.8 * (w.agents.heavy.running - 100));
  });

  it("holds those idle heavy agents for the scale-down window while blocks keep arriving (a stream's next block needs them), then lets them go", async () => {
    const w = world({ ...settings, scaleDownHoldSeconds: 300 });
    await w.tick(0);
    const heavy = w.started.heavy;
    w.agents.heavy = { running: heavy, starting: 0 };
    w.depth.heavy = { ready: 0, inFlight: 100, dead: 0 };
    await w.tick(140, [run, next]);
    expect((await w.targets.get('heavy'))!).toMatchObject({ agents: heavy, aboveSince: null });
    // The first block is done; a third arrived since the second's peak.
    await w.tick(290, [next, third]);
    expect((await w.targets.get('heavy'))!.agents).toBe(heavy);
    // 300 s after the tick that last wanted them all, the target drops to what the runs want and the idle ones leave.
    await w.tick(460, [third]);
    expect((await w.targets.get('heavy'))!.agents).toBeLessThan(heavy / 2);
    expect(w.stopped.heavy).toBe(0);
  });

  it("lets an isolated block's idle heavy agents go as soon as its VMs no longer want them: no block arrived to re-want them", async () => {
    const w = world({ ...settings, scaleDownHoldSeconds: 300 });
    await w.tick(0);
    const heavy = w.started.heavy;
    w.agents.heavy = { running: heavy, starting: 0 };
    w.depth.heavy = { ready: 0, inFlight: 100, dead: 0 };
    await w.tick(140);
    const target = (await w.targets.get('heavy'))!;
    expect(target.agents).toBeLessThan(heavy / 2);
    expect(target.aboveSince).not.toBeNull();
  });

  it('never asks the fleet to start or stop zero agents', async () => {
    const w = world();
    await w.tick(0);
    w.agents.heavy = { running: w.started.heavy, starting: 0 };
    w.depth.heavy = { ready: 2_048 - w.started.heavy, inFlight: w.started.heavy, dead: 0 };
    await w.tick(10);
    expect([...w.starts, ...w.stops].every((count) => count > 0)).toBe(true);
  });

  it('forgets the width profile and pacing of a run that is no longer active', async () => {
    const w = world();
    await w.tick(0);
    expect([...w.profiles.keys()]).toEqual(['b1']);
    expect([...w.deps.scaler.pacing.keys()]).toEqual(['b1']);
    await scaleCapacity(w.deps, settings, [], { wallMs: T0 + 1_000, l1Seconds: T0 / 1_000 + 1 });
    expect(w.profiles.size).toBe(0);
    expect(w.deps.scaler.pacing.size).toBe(0);
  });

  it('sizes for every active run together, without pacing, when more than one run shares the fleet', async () => {
    const w = world();
    const other = sampleRun({ runId: 'b2', state: 'proving', provingStartedAt: T0, provingDeadline: T0 / 1_000 + 840, jobCount: plan.size });
    const both = [
      { run, doneJobs: null },
      { run: other, doneJobs: null },
    ];
    // Queue depths are per tier, not per run: the queued VMs beyond both schedules are a backlog, not a paced plan.
    const paced = (await world().tick(0)).heavy.desired;
    const decisions = await scaleCapacity(w.deps, settings, both, { wallMs: T0, l1Seconds: T0 / 1_000 });
    expect(decisions.heavy.desired).toBeGreaterThan(paced);
    expect(decisions.heavy.why).toContain('paced 0');
    expect([...w.profiles.keys()].sort()).toEqual(['b1', 'b2']);
  });

  it('reads progress from the proofs done when the store can count them', async () => {
    const w = world();
    await w.tick(0);
    w.agents.light = { running: 0, starting: 0 };
    w.depth.heavy = { ready: 0, inFlight: 0, dead: 0 };
    // At 700 s, 60 s of slack left: with nothing proven the remaining work needs many light agents on demand...
    const late = { wallMs: T0 + 700_000, l1Seconds: T0 / 1_000 + 700 };
    const none = await scaleCapacity(w.deps, { ...settings, urgentSlackSeconds: 600 }, [{ run, doneJobs: 0 }], late);
    // ...with all but the root proven (it starts when the last merge ends), none is left to start.
    const most = await scaleCapacity(w.deps, { ...settings, urgentSlackSeconds: 600 }, [{ run, doneJobs: plan.size - 1 }], late);
    expect(none.light).toMatchObject({ spot: false });
    expect(none.light.desired).toBeGreaterThan(100);
    expect(most.light.desired).toBe(0);
  });

  it('buys on demand when the deadline is at risk', async () => {
    const w = world();
    await w.tick(0);
    w.agents.heavy = { running: 10, starting: 0 };
    w.depth.heavy = { ready: 2_000, inFlight: 10, dead: 0 };
    await w.tick(700);
    expect(w.spot.at(-1)).toBe(false);
  });
});
