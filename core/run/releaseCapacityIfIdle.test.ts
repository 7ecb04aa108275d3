import { describe, expect, it } from 'vitest';
import { memoryRunWorld } from '../../test/support/memoryRunWorld.js';
import { releaseCapacityIfIdle } from './releaseCapacityIfIdle.js';

describe('releaseCapacityIfIdle', () => {
  it('keeps every agent while a run still needs proofs or a submission', async () => {
    for (const state of ['planned', 'provisioning', 'proving', 'submitting'] as const) {
      const w = memoryRunWorld();
      await w.runIn(state);
      w.capacity.agents.heavy = { running: 2, starting: 1 };
      expect(await releaseCapacityIfIdle(w.deps)).toBe(false);
      expect(await w.targets.get('heavy')).toBeNull();
      expect(w.capacity.stops).toEqual([]);
    }
  });

  it('sets every tier’s target to zero once only confirmed or finished runs are left, stopping nobody itself', async () => {
    const w = memoryRunWorld();
    await w.runIn('confirmed');
    await w.runIn('abandoned', {}, 2n);
    w.capacity.agents.heavy = { running: 2, starting: 1 };
    w.capacity.agents.light = { running: 0, starting: 0 };
    expect(await releaseCapacityIfIdle(w.deps)).toBe(true);
    expect(w.capacity.stops).toEqual([]);
    expect(await w.targets.get('heavy')).toMatchObject({ agents: 0, observed: 3, aboveSince: w.clock.now(), work: [], leaving: 0 });
    expect(await w.targets.get('light')).toMatchObject({ agents: 0, observed: 0, aboveSince: null });
    // Exactly the three agents may leave.
    const leaves = await Promise.all([1, 2, 3, 4].map(() => w.targets.claimLeave('heavy')));
    expect(leaves.filter(Boolean)).toHaveLength(3);
  });

  it('keeps the quota and when the tier went above its target from the last published target', async () => {
    const w = memoryRunWorld();
    await w.targets.put('light', { agents: 4, observed: 6, quotaAgents: 8, aboveSince: w.clock.now() - 5_000, work: [], publishedAt: 0 });
    w.capacity.agents.light = { running: 6, starting: 0 };
    await releaseCapacityIfIdle(w.deps);
    expect(await w.targets.get('light')).toMatchObject({ agents: 0, observed: 6, quotaAgents: 8, aboveSince: w.clock.now() - 5_000 });
  });
});
