import { describe, expect, it } from 'vitest';
import { memoryRunWorld } from '../../test/support/memoryRunWorld.js';
import type { RunState } from '../ports/provingRun.js';
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
