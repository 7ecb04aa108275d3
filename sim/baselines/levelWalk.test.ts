import { describe, expect, it } from 'vitest';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { planBlock } from '../../core/plan/planBlock.js';
import { rfp2023 } from '../../core/profiles/rfp2023.js';
import { simulateLevelWalk } from './levelWalk.js';
import { DEFAULT_SIM_MODEL } from '../model/model.js';

const plan = planBlock(syntheticBlockBody({ txs: 64, publicCalls: { kind: 'fixed', calls: 2 }, seed: 'walk' }), rfp2023, {
  blockId: 'walk',
  trusted: true,
});

describe('the level-walk baseline', () => {
  it('submits one Batch job per proof, level after level', async () => {
    const outcome = await simulateLevelWalk(plan, { ...DEFAULT_SIM_MODEL, spot: { ...DEFAULT_SIM_MODEL.spot, interruptionsPerInstanceHour: 0 } }, '1');
    expect(outcome.submitJobs).toBe(plan.size);
    // VMs, two kernels, bases, five merge levels, root.
    expect(outcome.levels).toBe(10);
    // Each level waits for the one below and pays Batch's scheduling again: far slower than the critical path.
    expect(outcome.makespanSeconds).toBeGreaterThan(plan.criticalPathSeconds + outcome.levels * 8);
    expect(outcome.computeCostUsd).toBeGreaterThan(0);
  });

  it('is the same for the same seed', async () => {
    const [a, b] = await Promise.all([simulateLevelWalk(plan, DEFAULT_SIM_MODEL, 'x'), simulateLevelWalk(plan, DEFAULT_SIM_MODEL, 'x')]);
    expect({ ...a, wallMs: 0 }).toEqual({ ...b, wallMs: 0 });
  });
});
