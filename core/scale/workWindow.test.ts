import { describe, expect, it } from 'vitest';
import { syntheticBlockBody } from '../body/syntheticBlockBody.js';
import { planBlock } from '../plan/planBlock.js';
import { getCircuitProfile } from '../profiles/getCircuitProfile.js';
import { criticalPathShape, tierWorkWindow, UNKNOWN_SHAPE } from './workWindow.js';

describe('criticalPathShape', () => {
  it('finds where each tier sits on a plan’s critical path: VM proofs at the leaves, the rollup tree after them', () => {
    // rfp-2023, 1,024 txs of 2 calls: 30-s VM proofs (heavy) under a 360-s kernel and rollup tree (light).
    const plan = planBlock(syntheticBlockBody({ txs: 1_024, publicCalls: { kind: 'fixed', calls: 2 }, seed: 'shape' }), getCircuitProfile('rfp-2023'), {
      blockId: 'b',
      trusted: true,
    });
    expect(criticalPathShape(plan)).toEqual({ criticalSeconds: 420, headSeconds: { heavy: 0, light: 30 }, tailSeconds: { heavy: 360, light: 0 } });
    expect(criticalPathShape(plan, 0.5)).toEqual({ criticalSeconds: 210, headSeconds: { heavy: 0, light: 15 }, tailSeconds: { heavy: 180, light: 0 } });
  });
});

describe('tierWorkWindow', () => {
  const shape = { criticalSeconds: 260, headSeconds: { heavy: 0, light: 60 }, tailSeconds: { heavy: 200, light: 0 } };
  const block = { startsAt: 1_000, deadline: 1_400 };

  it('ends a tier’s work its tail before the deadline, and never later than half the critical path before it', () => {
    expect(tierWorkWindow(shape, 'heavy', block)).toEqual({ from: 1_000, until: 1_200 });
    expect(tierWorkWindow(shape, 'light', block)).toEqual({ from: 1_060, until: 1_270 });
  });

  it('shrinks what must follow as the block runs its path', () => {
    // 200 s in: 60 s of path left, so heavy ends 60 s before the deadline and light 30 s; light's head has passed.
    expect(tierWorkWindow(shape, 'heavy', block, 200)).toEqual({ from: 1_000, until: 1_340 });
    expect(tierWorkWindow(shape, 'light', block, 200)).toEqual({ from: 1_000, until: 1_370 });
  });

  it('lets a block of unknown shape use its whole window', () => {
    expect(tierWorkWindow(UNKNOWN_SHAPE, 'heavy', block)).toEqual({ from: 1_000, until: 1_400 });
  });
});
