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
    expect(await w.targets.get('heavy')).toMatchObject({ agents: 0, observed: 3, aboveSince: w.clock.now(), work: [], left: 0 });
    expect(await w.targets.get('light')).toMatchObject({ agents: 0, observed: 0, aboveSince: null });
    // Exactly the three agents may leave.
    const leaves = await Promise.all([1, 2, 3, 4].map(() => w.targets.claimLeave('heavy')));
    expect(leaves.filter(Boolean)).toHaveLength(3);
  });

  it('keeps the quota from the last published target, and counts the leave grace from now', async () => {
    const w = memoryRunWorld();
    await w.targets.put('light', { agents: 4, observed: 6, leftAtCount: 0, leftBefore: 0, quotaAgents: 8, aboveSince: w.clock.now() - 60_000, work: [], publishedAt: 0 });
    w.capacity.agents.light = { running: 6, starting: 0 };
    await releaseCapacityIfIdle(w.deps);
    // Inheriting the old spell would let agents leave at once, before a run starting now could raise the target.
    expect(await w.targets.get('light')).toMatchObject({ agents: 0, observed: 6, quotaAgents: 8, aboveSince: w.clock.now() });
  });

  it('leaves a target a new run published while the agents were being counted', async () => {
    const w = memoryRunWorld();
    w.capacity.agents.heavy = { running: 3, starting: 0 };
    const count = w.capacity.count.bind(w.capacity);
    // Published before the release's put is stamped, so only the condition on the target it read keeps it.
    const raised = { agents: 5, observed: 3, leftAtCount: 0, leftBefore: 0, quotaAgents: 8, aboveSince: null, work: [], publishedAt: w.clock.now() + 1 };
    w.capacity.count = async (tier) => {
      const counted = await count(tier);
      if (tier === 'heavy') {
        // provisionRun's tick lands between the read and the put.
        await w.clock.advance(2);
        await w.targets.put('heavy', raised);
      }
      return counted;
    };
    expect(await releaseCapacityIfIdle(w.deps)).toBe(true);
    expect(await w.targets.get('heavy')).toMatchObject({ agents: 5, publishedAt: raised.publishedAt });
  });
});
