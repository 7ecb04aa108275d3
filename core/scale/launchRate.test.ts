import { describe, expect, it } from 'vitest';
import { agentsReachableWithin, EC2_RUN_INSTANCES_BUCKET, instancesLaunchableBehind, instancesLaunchableWithin, type LaunchRate } from './launchRate.js';

const rate: LaunchRate = { ...EC2_RUN_INSTANCES_BUCKET, agentsPerInstance: { heavy: 6, light: 24 }, startupSeconds: 75 };

describe('launchRate', () => {
  it('launches the tokens left at once, then the refill each second', () => {
    expect(instancesLaunchableWithin(rate, 1_000, 1)).toBe(1_002);
    expect(instancesLaunchableWithin(rate, 0, 300)).toBe(600);
    expect(instancesLaunchableWithin(rate, 0, 0.4)).toBe(0);
    expect(instancesLaunchableWithin(rate, 10, 0)).toBe(0);
    expect(instancesLaunchableWithin(rate, -5, 10)).toBe(20);
  });

  it('reaches no new agent before the start-up time, then agents per instance launched', () => {
    expect(agentsReachableWithin(rate, 'heavy', 1_000, 75)).toBe(0);
    expect(agentsReachableWithin(rate, 'heavy', 1_000, 76)).toBe(1_002 * 6);
    expect(agentsReachableWithin(rate, 'light', 0, 175)).toBe(200 * 24);
  });

  it('serves launches still waiting for the bucket first: a negative balance is a backlog', () => {
    expect(instancesLaunchableBehind(rate, -100, 60)).toBe(20);
    expect(instancesLaunchableBehind(rate, -100, 10)).toBe(0);
    expect(instancesLaunchableBehind(rate, 30.5, 0)).toBe(30);
    expect(instancesLaunchableBehind(rate, 30, -5)).toBe(30);
  });
});
