import { describe, expect, it } from 'vitest';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { planBlock } from '../../core/plan/planBlock.js';
import { rfp2023 } from '../../core/profiles/rfp2023.js';
import { earliestStarts } from './earliestStarts.js';

const plan = planBlock(syntheticBlockBody({ txs: 4, publicCalls: { kind: 'fixed', calls: 1 }, seed: 'earliest' }), rfp2023, {
  blockId: 'earliest',
  trusted: true,
});

describe('earliestStarts', () => {
  it('starts the leaves at the arrival and carries it through the graph to the root', () => {
    const warm = earliestStarts(plan, 0);
    const cold = earliestStarts(plan, 60);
    // The root starts its critical path minus its own proof after the first agents arrive, later by the arrival.
    expect(warm[plan.rootIndex]).toBeCloseTo(plan.criticalPathSeconds - plan.expectedSeconds[plan.rootIndex]!, 6);
    expect(cold[plan.rootIndex]).toBeCloseTo(warm[plan.rootIndex]! + 60, 6);
    for (let job = 0; job < plan.size; job++) {
      expect(cold[job]).toBeGreaterThanOrEqual(60);
      if (plan.depOffsets[job] === plan.depOffsets[job + 1]) expect(cold[job]).toBe(60);
    }
  });
});
