import { describe, expect, it } from 'vitest';
import { memoryRunWorld } from '../../test/support/memoryRunWorld.js';
import { currentDeadline } from './currentDeadline.js';

/** A proving run and L1's state of its block. */
async function proving() {
  const w = memoryRunWorld();
  const { run } = await w.runIn('proving');
  const block = await w.chain.blockState(run.blockNumber);
  return { w, run, block };
}

describe('currentDeadline', () => {
  it('takes the later deadline L1 moved the block to, and stores it with the moved exclusive window', async () => {
    const { w, run, block } = await proving();
    w.clock.set(w.clock.now() + 1_000);
    const moved = { ...block, provingDeadline: run.provingDeadline + 120, exclusiveUntil: run.exclusiveUntil + 120 };
    expect(await currentDeadline(w.deps, run, moved)).toBe(run.provingDeadline + 120);
    expect(await w.store.getRun(run.runId)).toMatchObject({
      state: 'proving',
      provingDeadline: run.provingDeadline + 120,
      exclusiveUntil: run.exclusiveUntil + 120,
      updatedAt: w.clock.now(),
    });
  });

  it('keeps the stored deadline when L1 has the same or an earlier one, or holds another body there', async () => {
    const { w, run, block } = await proving();
    for (const read of [
      { ...block, provingDeadline: run.provingDeadline },
      { ...block, provingDeadline: run.provingDeadline - 1 },
      { ...block, bodyHash: `0x${'ee'.repeat(32)}` as const, provingDeadline: run.provingDeadline + 120 },
    ]) {
      expect(await currentDeadline(w.deps, run, read)).toBe(run.provingDeadline);
    }
    expect(await w.store.getRun(run.runId)).toEqual(run);
  });

  it('reads the block from L1 when not handed its state', async () => {
    const { w, run } = await proving();
    expect(await currentDeadline(w.deps, run)).toBe(run.provingDeadline);
    const later = { ...run, provingDeadline: run.provingDeadline - 50 };
    expect(await currentDeadline(w.deps, later)).toBe(run.provingDeadline);
  });
});
