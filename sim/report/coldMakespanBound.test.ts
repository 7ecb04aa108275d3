import { describe, expect, it } from 'vitest';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { planBlock } from '../../core/plan/planBlock.js';
import { rfp2023 } from '../../core/profiles/rfp2023.js';
import type { LaunchRate } from '../../core/scale/launchRate.js';
import { getScenario } from '../engine/scenarios.js';
import { simulateRun } from '../engine/simulateRun.js';
import { DEFAULT_SIM_MODEL, type SimModel } from '../model/model.js';
import { simLaunchRate } from '../model/simLaunchRate.js';
import { InvalidLaunchRateError } from '../errors/index.js';
import { coldMakespanBound } from './coldMakespanBound.js';

// 256 txs with two public calls: 512 VMs (heavy), then kernels, bases and merges (light); critical path 360 s.
const plan = planBlock(syntheticBlockBody({ txs: 256, publicCalls: { kind: 'fixed', calls: 2 }, seed: 'cold-bound' }), rfp2023, {
  blockId: 'cold-bound',
  trusted: true,
});
const rate: LaunchRate = { burstInstances: 1_000, instancesPerSecond: 2, agentsPerInstance: { heavy: 6, light: 24 }, startupSeconds: 80 };
// A bucket this block outgrows: 4 instances at once, then one every 10 s.
const slow: LaunchRate = { ...rate, burstInstances: 4, instancesPerSecond: 0.1 };

/** Instance-seconds the bucket's instances can give by `makespan`, every one serving from its start-up to the end. */
function pooledSecondsBy(launch: LaunchRate, makespan: number): number {
  let total = 0;
  for (let i = 0; ; i++) {
    const up = launch.startupSeconds + (i < launch.burstInstances ? 0 : (i - launch.burstInstances + 1) / launch.instancesPerSecond);
    if (up >= makespan) return total;
    total += makespan - up;
  }
}

function workInstanceSeconds(launch: LaunchRate): number {
  let total = 0;
  for (let job = 0; job < plan.size; job++) {
    const tier = plan.profile.kinds[plan.kinds[plan.kindCodes[job]!]!]!.tier;
    total += plan.expectedSeconds[job]! / launch.agentsPerInstance[tier];
  }
  return total;
}

describe('coldMakespanBound', () => {
  it('is start-up plus the critical path when the bucket launches the whole fleet at once', () => {
    const bound = coldMakespanBound(plan, rate);
    expect(bound.binding).toBe('critical path');
    expect(bound.makespanSeconds).toBeCloseTo(80 + plan.criticalPathSeconds, 6);
  });

  it('is set by the launch rate when the bucket is small, and never lets the instances do more work than they can', () => {
    const bound = coldMakespanBound(plan, slow);
    expect(bound.binding).not.toBe('critical path');
    expect(bound.makespanSeconds).toBeGreaterThan(80 + plan.criticalPathSeconds + 30);
    // All the work must be done on the instances up by the makespan: counted independently here.
    expect(pooledSecondsBy(slow, bound.makespanSeconds)).toBeGreaterThanOrEqual(workInstanceSeconds(slow));
    // A slower refill or a later start-up only makes it later.
    expect(coldMakespanBound(plan, { ...slow, instancesPerSecond: 0.05 }).makespanSeconds).toBeGreaterThan(bound.makespanSeconds);
    expect(coldMakespanBound(plan, { ...slow, startupSeconds: 120 }).makespanSeconds).toBeGreaterThan(bound.makespanSeconds);
  });

  it('counts that an instance serves one tier: sharing the bucket between tiers is later than either alone could be', () => {
    const bound = coldMakespanBound(plan, slow);
    // Pooled instance-seconds would allow an earlier makespan: the split between the tiers is what sets it.
    expect(bound.binding).toBe('launch rate, per tier');
    // If light agents packed a million to an instance, light would need almost none of the bucket.
    const lightFree = coldMakespanBound(plan, { ...slow, agentsPerInstance: { heavy: 6, light: 1_000_000 } });
    expect(lightFree.makespanSeconds).toBeLessThan(bound.makespanSeconds);
  });

  it('counts the windows that open after the first agents are up, as if either tier could use any instance', () => {
    // Heavy alone (light free): a window opening later than the first agents sets it, which only the pooled check sees.
    const lightFree = coldMakespanBound(plan, { ...slow, agentsPerInstance: { heavy: 6, light: 1_000_000 } });
    expect(lightFree.binding).toBe('launch rate, pooled');
  });

  it('refuses, with a named error, a launch rate under which no instance or no agent ever comes up', () => {
    expect(() => coldMakespanBound(plan, { ...rate, burstInstances: 0, instancesPerSecond: 0 })).toThrow(InvalidLaunchRateError);
    expect(() => coldMakespanBound(plan, { ...rate, agentsPerInstance: { heavy: 0, light: 24 } })).toThrow(/hosts no heavy agent/);
    expect(() => coldMakespanBound(plan, { ...rate, startupSeconds: Number.NaN })).toThrow(InvalidLaunchRateError);
  });

  it('is never beaten by the simulated scaler from a cold start under the same bucket', async () => {
    const model: SimModel = { ...DEFAULT_SIM_MODEL, ec2: { ...DEFAULT_SIM_MODEL.ec2, launchBucket: { burst: 4, refillPerSecond: 0.1 } } };
    const bound = coldMakespanBound(plan, simLaunchRate(model));
    expect(bound.binding).not.toBe('critical path');
    const outcome = await simulateRun({
      plan,
      model,
      scenario: getScenario('cold', model),
      seed: 'bound',
      policy: 'scaler',
      engine: 'fast',
      deadlineSeconds: 4 * plan.criticalPathSeconds,
    });
    expect(outcome.makespanSeconds).not.toBeNull();
    expect(outcome.makespanSeconds!).toBeGreaterThanOrEqual(bound.makespanSeconds);
  });
});
