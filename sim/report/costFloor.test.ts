import { describe, expect, it } from 'vitest';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { planBlock } from '../../core/plan/planBlock.js';
import { rfp2023 } from '../../core/profiles/rfp2023.js';
import { costFloor } from './costFloor.js';
import { DEFAULT_SIM_MODEL } from '../model/model.js';
import { meanOf } from '../model/distribution.js';
import { agentUsdPerHour } from '../model/instanceSlots.js';
import { TIERS } from '../../core/tiers.js';

// 256 txs with two public calls: 512 VMs (heavy), then kernels, bases and merges (light); critical path 450 s.
const plan = planBlock(syntheticBlockBody({ txs: 256, publicCalls: { kind: 'fixed', calls: 2 }, seed: 'floor' }), rfp2023, {
  blockId: 'floor',
  trusted: true,
});

describe('costFloor', () => {
  it('needs an instance per tx when the makespan is the critical path itself', () => {
    const floor = costFloor(plan, DEFAULT_SIM_MODEL, { makespanSeconds: plan.criticalPathSeconds, arrivalSeconds: 0 });
    // Each tx's first VM must end 30 s in, its second (which waits for the first kernel) 30 s later.
    expect(floor.instances.heavy).toBe(256);
    expect(floor.usd).toBeGreaterThan(floor.lowerBoundUsd);
  });

  it('needs fewer instances, and costs less, with more time', () => {
    const at = (makespanSeconds: number) => costFloor(plan, DEFAULT_SIM_MODEL, { makespanSeconds, arrivalSeconds: 0 });
    const tight = at(1.15 * plan.criticalPathSeconds);
    const loose = at(2 * plan.criticalPathSeconds);
    expect(loose.instances.heavy).toBeLessThan(tight.instances.heavy);
    expect(loose.usd).toBeLessThan(tight.usd);
  });

  it('lets late arrivals do the work in less time, so a cold block needs more instances', () => {
    const warm = costFloor(plan, DEFAULT_SIM_MODEL, { makespanSeconds: 600, arrivalSeconds: 0 });
    const cold = costFloor(plan, DEFAULT_SIM_MODEL, { makespanSeconds: 600, arrivalSeconds: 60 });
    expect(cold.instances.heavy).toBeGreaterThan(warm.instances.heavy);
  });

  it('bills every instance from its own start, a warm one too: boot, image pull and container start', () => {
    const model = DEFAULT_SIM_MODEL;
    const floor = costFloor(plan, model, { makespanSeconds: 600, arrivalSeconds: 0 });
    const start = meanOf(model.ec2.bootSeconds) + meanOf(model.ec2.imagePullSeconds) + meanOf(model.batch.containerStartSeconds);
    expect(floor.startSecondsPerInstance).toBeCloseTo(start, 9);
    expect(floor.overheadSecondsPerInstance).toBeCloseTo(start + meanOf(model.ec2.scaleInSeconds) + meanOf(model.agent.planBuildSeconds), 9);
    const startUsd = TIERS.reduce((total, tier) => total + (floor.instances[tier] * start * agentUsdPerHour(model, tier).spot) / 3_600, 0);
    expect(floor.usd - floor.usdWithoutStart).toBeCloseTo(startUsd, 9);
    // A slower boot raises the floor by exactly the fewest instances × the extra seconds.
    const slowBoot = { ...model, ec2: { ...model.ec2, bootSeconds: { kind: 'uniform' as const, min: 60, max: 60 } } };
    const slower = costFloor(plan, slowBoot, { makespanSeconds: 600, arrivalSeconds: 0 });
    expect(slower.instances).toEqual(floor.instances);
    expect(slower.usdWithoutStart).toBeCloseTo(floor.usdWithoutStart, 9);
    const extra = 60 - meanOf(model.ec2.bootSeconds);
    const extraUsd = TIERS.reduce((total, tier) => total + (floor.instances[tier] * extra * agentUsdPerHour(model, tier).spot) / 3_600, 0);
    expect(slower.usd - floor.usd).toBeCloseTo(extraUsd, 9);
  });
});
