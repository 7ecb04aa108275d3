import { describe, expect, it } from 'vitest';
import { mergeSimModel } from './loadSimModel.js';
import { DEFAULT_SIM_MODEL } from './model.js';
import { simLaunchRate } from './simLaunchRate.js';

describe('simLaunchRate', () => {
  it('is the model bucket, the agents its instance types host, and about 75 s from SubmitJob to a fresh agent polling', () => {
    const rate = simLaunchRate(DEFAULT_SIM_MODEL);
    // c7i.48xlarge for both tiers: 6 heavy (32 vCPU / 60 GiB) or 24 light (8 vCPU / 15 GiB) agents.
    expect(rate).toMatchObject({ burstInstances: 1_000, instancesPerSecond: 2, agentsPerInstance: { heavy: 6, light: 24 } });
    expect(rate.startupSeconds).toBeGreaterThan(70);
    expect(rate.startupSeconds).toBeLessThan(85);
  });

  it('follows the model: one agent per instance of today’s types, fewer when ECS registers less memory', () => {
    const oneEach = mergeSimModel({ ec2: { instanceTypes: { heavy: 'c7i.8xlarge', light: 'c7i.2xlarge' } } });
    expect(simLaunchRate(oneEach).agentsPerInstance).toEqual({ heavy: 1, light: 1 });
    const tight = mergeSimModel({ ec2: { registeredMemoryShare: 0.93 } });
    expect(simLaunchRate(tight).agentsPerInstance).toEqual({ heavy: 5, light: 23 });
  });
});
