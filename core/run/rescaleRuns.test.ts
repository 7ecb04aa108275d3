import { describe, expect, it } from 'vitest';
import { memoryRunWorld, type MemoryRunWorld } from '../../test/support/memoryRunWorld.js';
import type { RunState } from '../ports/provingRun.js';
import { createScalerMemory } from '../scale/scalerMemory.js';
import { decodeScalerMemory, encodeScalerMemory } from '../scale/scalerMemoryRecord.js';
import type { RunDependencies } from './runDependencies.js';
import { rescaleRuns } from './rescaleRuns.js';

/** A run in `state` whose VMs two heavy agents are proving: the queues are empty, so only the schedule asks for more. */
async function drained(state: RunState): Promise<ReturnType<typeof memoryRunWorld>> {
  const w = memoryRunWorld();
  await w.runIn(state, { provingStartedAt: w.clock.now() });
  for (const delivery of await w.queue.receive('heavy', { max: 10, waitMs: 0, visibilityMs: 60_000 })) await w.queue.ack('heavy', delivery.receipt);
  w.capacity.agents.heavy = { running: 2, starting: 0 };
  return w;
}

describe('rescaleRuns', () => {
  it('sizes each tier for the runs being provisioned or proven, and for no other', async () => {
    // New agents would arrive in 60 s, when the schedule has the two bases (after VMs and kernels of 30 s) running.
    for (const state of ['provisioning', 'proving'] as const) {
      const w = await drained(state);
      expect((await rescaleRuns(w.deps, w.settings))?.light).toMatchObject({ start: 2, why: expect.stringContaining('planned 2') });
    }
    for (const state of ['planned', 'submitting'] as const) {
      const w = await drained(state);
      const decisions = await rescaleRuns(w.deps, w.settings);
      expect([decisions?.heavy.desired, decisions?.light.desired]).toEqual([0, 0]);
      expect(w.capacity.starts).toEqual([]);
    }
  });

  it("measures the deadline slack on L1's clock: a run near its deadline buys on-demand agents", async () => {
    const w = memoryRunWorld();
    const { run } = await w.runIn('proving', { provingStartedAt: w.clock.now() });
    w.chain.now = run.provingDeadline - 10;
    const decisions = await rescaleRuns(w.deps, { ...w.settings, scaling: { ...w.settings.scaling, urgentSlackSeconds: 120 } });
    expect(decisions?.heavy).toMatchObject({ spot: false });
    expect(w.capacity.starts.find((s) => s.tier === 'heavy')).toMatchObject({ spot: false });
  });

  it('runs one fleet-wide tick at a time: a run asking while another run’s tick is under way skips, starting nobody twice', async () => {
    const w = await drained('proving');
    await w.runIn('proving', { provingStartedAt: w.clock.now() }, 2n);
    // Counting takes a while (ListJobs pages): overlapping ticks would both count before either starts agents.
    const count = w.capacity.count.bind(w.capacity);
    w.capacity.count = async (tier) => {
      for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
      return count(tier);
    };
    // The other run's Lambda, whose clock reads a millisecond later.
    const later = { ...w.deps, clock: { ...w.clock, now: () => w.clock.now() + 1 } };
    const [first, second] = await Promise.all([rescaleRuns(w.deps, w.settings), rescaleRuns(later, w.settings)]);
    expect([first, second].filter((decisions) => decisions === null)).toHaveLength(1);
    // The second run's VMs want two more heavy agents: asked for once.
    expect(w.capacity.starts).toEqual([expect.objectContaining({ tier: 'heavy', count: 2 })]);
    // The lease is given back at the end of a tick: the next run’s tick, later, runs and finds the fleet sized.
    await w.clock.advance(1_000);
    expect(await rescaleRuns(w.deps, w.settings)).not.toBeNull();
    expect(w.capacity.starts).toHaveLength(1);
  });
});

describe('rescaleRuns: the scaler’s memory between processes', () => {
  /** Two ticks 100 s apart over one proving run; the second in `second`'s process (the same one by default). */
  async function twoTicks(second: (w: MemoryRunWorld) => RunDependencies = (w) => w.deps) {
    const w = await drained('proving');
    const first = await rescaleRuns(w.deps, w.settings);
    await w.clock.advance(100_000);
    const deps = second(w);
    return { w, first, later: await rescaleRuns(deps, w.settings), deps };
  }
  const fresh = (w: MemoryRunWorld): RunDependencies => ({ ...w.deps, scaler: createScalerMemory() });
  const paced = (deps: RunDependencies) => [...deps.scaler.pacing].map(([runId, { reference, ...rest }]) => ({ runId, makespan: reference.makespanSeconds, ...rest }));

  it('a tick in a fresh process paces, holds and publishes as the process that ran the last tick would', async () => {
    const warm = await twoTicks();
    const cold = await twoTicks(fresh);
    expect(cold.later).toEqual(warm.later);
    expect(paced(cold.deps)).toEqual(paced(warm.deps));
    expect(cold.deps.scaler.held).toEqual(warm.deps.scaler.held);
    expect(cold.deps.scaler.leaveReads).toEqual(warm.deps.scaler.leaveReads);
    expect(await cold.w.targets.get('light')).toEqual(await warm.w.targets.get('light'));
    expect(cold.w.log.lines.filter((line) => line.level === 'warn')).toEqual([]);
    // Without the stored memory the fresh process would re-plan the run from where it is now.
    const forgetful = await twoTicks((w) => ({ ...fresh(w), targets: { ...w.targets, loadScalerMemory: async () => null } }));
    expect(paced(forgetful.deps)[0]!.startsAt).not.toBe(paced(warm.deps)[0]!.startsAt);
  });

  it('starts from empty memory on a record it cannot read, warns, and still publishes and saves', async () => {
    for (const stored of ['{"version":1,', '{"version":99}', '{"version":1,"pacing":"none"}']) {
      const { w, later, deps } = await twoTicks((world) => ({
        ...fresh(world),
        targets: { ...world.targets, loadScalerMemory: async () => stored },
      }));
      expect(w.log.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'scaler memory unreadable, starting empty' }));
      expect(later).not.toBeNull();
      expect(await w.targets.get('heavy')).toMatchObject({ publishedAt: w.clock.now() });
      // Re-planned from now (empty memory), and saved for the next tick as a readable record.
      expect(deps.scaler.pacing.size).toBe(1);
      expect(decodeScalerMemory((await w.targets.loadScalerMemory())!).pacing).toHaveLength(1);
    }
  });

  it("keeps this process's own memory when the store fails to load, warns, and still publishes and saves", async () => {
    const failing = (deps: RunDependencies): RunDependencies => ({
      ...deps,
      targets: { ...deps.targets, loadScalerMemory: () => Promise.reject(new Error('ThrottlingException: rate exceeded')) },
    });
    const warm = await twoTicks();
    const { w, later, deps } = await twoTicks((world) => failing(world.deps));
    expect(w.log.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: "scaler memory not loaded, keeping this process's own",
        fields: expect.objectContaining({ reason: 'ThrottlingException: rate exceeded', kept: true }),
      }),
    );
    expect(later).not.toBeNull();
    expect(await w.targets.get('heavy')).toMatchObject({ publishedAt: w.clock.now() });
    // This process ran the last tick: its memory is current, so the tick paces, holds and publishes as if the load worked.
    expect(later).toEqual(warm.later);
    expect(paced(deps)).toEqual(paced(warm.deps));
    expect(deps.scaler.held).toEqual(warm.deps.scaler.held);
    expect(await w.targets.get('light')).toEqual(await warm.w.targets.get('light'));
    expect(deps.scaler.lastRecord).toBe(await w.targets.loadScalerMemory());
    // A fresh process has nothing of its own: it re-plans the run from now, and saves that.
    const cold = await twoTicks((world) => failing(fresh(world)));
    expect(cold.w.log.lines).toContainEqual(expect.objectContaining({ fields: expect.objectContaining({ kept: false }) }));
    expect(paced(cold.deps)[0]!.startsAt).not.toBe(paced(warm.deps)[0]!.startsAt);
    expect(cold.deps.scaler.lastRecord).toBe(await cold.w.targets.loadScalerMemory());
  });

  it('skips the save when the store fails to save, warns, and the tick still publishes', async () => {
    const { w, first, later, deps } = await twoTicks((world) => ({
      ...fresh(world),
      targets: { ...world.targets, saveScalerMemory: () => Promise.reject(new Error('InternalServerError')) },
    }));
    expect(w.log.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'scaler memory not saved: the store failed' }));
    expect(first).not.toBeNull();
    expect(later).not.toBeNull();
    expect(await w.targets.get('heavy')).toMatchObject({ publishedAt: w.clock.now() });
    // What is stored is still the first tick's record.
    expect(deps.scaler.lastRecord).toBe(await w.targets.loadScalerMemory());
    expect(encodeScalerMemory(deps.scaler)).not.toBe(deps.scaler.lastRecord);
  });

  it('saves nothing once its lease is lost, and says so', async () => {
    const { w, deps } = await twoTicks((world) => ({
      ...fresh(world),
      targets: { ...world.targets, saveScalerMemory: async () => false },
    }));
    expect(w.log.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'scaler memory not saved: this tick lost its lease to a newer one' }));
    // What is stored is still the first tick's record (the one this process recalled), not this tick's memory.
    const stored = await w.targets.loadScalerMemory();
    expect(deps.scaler.lastRecord).toBe(stored);
    expect(encodeScalerMemory(deps.scaler)).not.toBe(stored);
  });
});
