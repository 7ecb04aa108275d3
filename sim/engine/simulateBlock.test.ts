import { describe, expect, it } from 'vitest';
import { DEFAULT_SIM_MODEL, type SimModel } from '../model/model.js';
import { MAKESPAN_TARGET_STRETCH, simulateBlock } from './simulateBlock.js';

describe('simulateBlock', () => {
  it('prices the cold floor at the launch rate bound when no schedule can meet the makespan target sooner', async () => {
    // A bucket this 64-tx block outgrows: 2 instances at once, then one every 20 s.
    const model: SimModel = { ...DEFAULT_SIM_MODEL, ec2: { ...DEFAULT_SIM_MODEL.ec2, launchBucket: { burst: 2, refillPerSecond: 0.05 } } };
    const simulation = await simulateBlock({
      block: { profile: 'rfp-2023', txs: 64, publicCalls: '1' },
      scenarios: ['cold'],
      seeds: 1,
      model,
      engine: 'fast',
      parallelism: 1,
      deadlineSeconds: 10_000,
    });
    const cold = simulation.results[0]!;
    const bound = cold.launchBound!;
    const target = MAKESPAN_TARGET_STRETCH * (cold.criticalPathSeconds + cold.provisioningSeconds);
    expect(bound.makespanSeconds).toBeGreaterThan(target);
    expect(simulation.costs.scenarios[0]!.floor.makespanSeconds).toBe(bound.makespanSeconds);
    expect(cold.makespanSeconds!).toBeGreaterThanOrEqual(bound.makespanSeconds);
  });
});
