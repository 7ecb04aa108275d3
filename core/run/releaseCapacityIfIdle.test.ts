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
      expect(w.capacity.stops).toEqual([]);
    }
  });

  it('stops every running and starting agent of each tier once only confirmed or finished runs are left', async () => {
    const w = memoryRunWorld();
    await w.runIn('confirmed');
    await w.runIn('abandoned', {}, 2n);
    w.capacity.agents.heavy = { running: 2, starting: 1 };
    w.capacity.agents.light = { running: 0, starting: 0 };
    expect(await releaseCapacityIfIdle(w.deps)).toBe(true);
    expect(w.capacity.stops).toEqual([{ tier: 'heavy', count: 3 }]);
  });

  it('asks nothing of a fleet that is already empty', async () => {
    const w = memoryRunWorld();
    expect(await releaseCapacityIfIdle(w.deps)).toBe(true);
    expect(w.capacity.stops).toEqual([]);
  });
});
