import { describe, expect, it } from 'vitest';
import { memoryRunWorld } from '../../test/support/memoryRunWorld.js';
import { recordRootProven } from './recordRootProven.js';

describe('recordRootProven', () => {
  it('moves a proving (or still provisioning) run to submission with its root proof and when it came', async () => {
    for (const state of ['provisioning', 'proving'] as const) {
      const w = memoryRunWorld();
      const { run } = await w.runIn(state);
      const at = w.clock.now() + 9_000;
      expect(await recordRootProven(w.store, run.runId, 'sha256:root', at)).toMatchObject({
        state: 'submitting',
        rootDigest: 'sha256:root',
        rootProvenAt: at,
        updatedAt: at,
      });
    }
  });

  it('is a no-op for a repeat, or a run that is not proving', async () => {
    const w = memoryRunWorld();
    const { run } = await w.runIn('proving');
    await recordRootProven(w.store, run.runId, 'sha256:first', 1);
    expect(await recordRootProven(w.store, run.runId, 'sha256:second', 2)).toBeNull();
    expect(await w.store.getRun(run.runId)).toMatchObject({ rootDigest: 'sha256:first', rootProvenAt: 1 });
    const { run: planned } = await w.planned(2n);
    expect(await recordRootProven(w.store, planned.runId, 'sha256:x', 3)).toBeNull();
  });
});
