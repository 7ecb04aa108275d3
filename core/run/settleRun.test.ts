import { describe, expect, it } from 'vitest';
import { memoryRunWorld } from '../../test/support/memoryRunWorld.js';
import { settleRun } from './settleRun.js';

describe('settleRun', () => {
  it('closes a confirmed run and releases the idle agents', async () => {
    const w = memoryRunWorld();
    const { run } = await w.runIn('confirmed');
    w.capacity.agents.heavy = { running: 1, starting: 0 };
    w.clock.set(w.clock.now() + 3_000);
    expect(await settleRun(w.deps, run.runId)).toMatchObject({ state: 'settled', updatedAt: w.clock.now() });
    expect(await w.targets.get('heavy')).toMatchObject({ agents: 0, observed: 1 });
    expect(w.capacity.stops).toEqual([]);
  });

  it('settles nothing that is not confirmed', async () => {
    const w = memoryRunWorld();
    const { run } = await w.runIn('submitting');
    w.capacity.agents.heavy = { running: 1, starting: 0 };
    expect(await settleRun(w.deps, run.runId)).toBeNull();
    expect((await w.store.getRun(run.runId))?.state).toBe('submitting');
    expect(await w.targets.get('heavy')).toBeNull();
  });
});
