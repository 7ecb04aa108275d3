import { describe, expect, it } from 'vitest';
import { memoryRunWorld } from '../../test/support/memoryRunWorld.js';
import { abandonRun } from './abandonRun.js';

describe('abandonRun', () => {
  it('records why, from any active state, and releases the agents when nothing else needs them', async () => {
    for (const state of ['planned', 'provisioning', 'proving', 'submitting', 'confirmed'] as const) {
      const w = memoryRunWorld();
      const { run } = await w.runIn(state);
      w.capacity.agents.light = { running: 4, starting: 0 };
      w.clock.set(w.clock.now() + 7_000);
      const abandoned = await abandonRun(w.deps, run.runId, 'the block was pruned');
      expect(abandoned).toMatchObject({ state: 'abandoned', stateReason: 'the block was pruned', updatedAt: w.clock.now() });
      expect(await w.store.getRun(run.runId)).toEqual(abandoned);
      // Released: the tier's target drops to zero and its agents leave by themselves (no stop call).
      expect(await w.targets.get('light')).toMatchObject({ agents: 0, observed: 4 });
      expect(w.capacity.stops).toEqual([]);
    }
  });

  it('leaves a finished run as it was, and its agents alone', async () => {
    for (const state of ['settled', 'abandoned'] as const) {
      const w = memoryRunWorld();
      const { run } = await w.runIn(state, { stateReason: 'earlier' });
      w.capacity.agents.light = { running: 4, starting: 0 };
      expect(await abandonRun(w.deps, run.runId, 'again')).toBeNull();
      expect((await w.store.getRun(run.runId))?.stateReason).toBe('earlier');
      expect(await w.targets.get('light')).toBeNull();
    }
  });
});
