import { describe, expect, it } from 'vitest';
import { memoryRunWorld } from '../../test/support/memoryRunWorld.js';
import { provisionRun } from './provisionRun.js';

describe('provisionRun', () => {
  it('sizes the fleet for the new run, then starts proving it', async () => {
    const w = memoryRunWorld();
    const { run } = await w.planned();
    w.clock.set(w.clock.now() + 2_000);
    const proving = await provisionRun(w.deps, w.settings, run.runId);
    expect(proving).toMatchObject({ state: 'proving', provingStartedAt: w.clock.now(), updatedAt: w.clock.now() });
    // The two VMs wait in the heavy queue: the scaler saw the run as provisioning and asked for heavy agents.
    expect(w.capacity.starts).toEqual([expect.objectContaining({ tier: 'heavy', spot: true })]);
    expect(w.capacity.starts[0]!.count).toBeGreaterThan(0);
  });

  it('does not restart a run that is already past provisioning', async () => {
    const w = memoryRunWorld();
    const startedAt = w.clock.now() - 5_000;
    const { run } = await w.runIn('proving', { provingStartedAt: startedAt });
    expect(await provisionRun(w.deps, w.settings, run.runId)).toBeNull();
    expect(await w.store.getRun(run.runId)).toMatchObject({ state: 'proving', provingStartedAt: startedAt });
  });
});
