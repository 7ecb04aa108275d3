import { describe, expect, it } from 'vitest';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { planBlock } from '../../core/plan/planBlock.js';
import { rfp2023 } from '../../core/profiles/rfp2023.js';
import { costFloor } from './costFloor.js';
import { DEFAULT_SIM_MODEL } from '../model/model.js';

// 256 txs with two public calls: 512 VMs (heavy), then kernels, bases and merges (light); critical path 450 s.
const plan = planBlock(syntheticBlockBody({ txs: 256, publicCalls: { kind: 'fixed', calls: 2 }, seed: 'floor' }), rfp2023, {
  blockId: 'floor',
  trusted: true,
});

describe('costFloor', () => {
  it('needs an instance per tx when the makespan is the critical path itself', () => {
    const floor = costFloor(plan, DEFAULT_SIM_MODEL, { makespanSeconds: plan.criticalPathSeconds, arrivalSeconds: 0, launched: false });
    // Each tx's first VM must end 30 s in, its second (which waits for the first kernel) 30 s later.
    expect(floor.instances.heavy).toBe(256);
    expect(floor.usd).toBeGreaterThan(floor.lowerBoundUsd);
  });

  it('needs fewer instances, and costs less, with more time', () => {
    const at = (makespanSeconds: number) => costFloor(plan, DEFAULT_SIM_MODEL, { makespanSeconds, arrivalSeconds: 0, launched: false });
    const tight = at(1.15 * plan.criticalPathSeconds);
    const loose = at(2 * plan.criticalPathSeconds);
    expect(loose.instances.heavy).toBeLessThan(tight.instances.heavy);
    expect(loose.usd).toBeLessThan(tight.usd);
  });

  it('charges launched instances their boot and image pull, and lets late arrivals do the work in less time', () => {
    const warm = costFloor(plan, DEFAULT_SIM_MODEL, { makespanSeconds: 600, arrivalSeconds: 0, launched: false });
    const cold = costFloor(plan, DEFAULT_SIM_MODEL, { makespanSeconds: 600, arrivalSeconds: 60, launched: true });
    expect(cold.overheadSecondsPerInstance).toBeGreaterThan(warm.overheadSecondsPerInstance + 40);
    expect(cold.instances.heavy).toBeGreaterThan(warm.instances.heavy);
  });
});
