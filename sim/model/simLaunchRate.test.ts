import { describe, expect, it } from 'vitest';
import { DEFAULT_SIM_MODEL } from './model.js';
import { simLaunchRate } from './simLaunchRate.js';

describe('simLaunchRate', () => {
  it('is the model bucket, one agent per instance, and about 75 s from SubmitJob to a fresh agent polling', () => {
    const rate = simLaunchRate(DEFAULT_SIM_MODEL);
    expect(rate).toMatchObject({ burstInstances: 1_000, instancesPerSecond: 2, agentsPerInstance: { heavy: 1, light: 1 } });
    expect(rate.startupSeconds).toBeGreaterThan(70);
    expect(rate.startupSeconds).toBeLessThan(85);
  });
});
