import { describe, expect, it } from 'vitest';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { planBlock } from '../../core/plan/planBlock.js';
import { rfp2023 } from '../../core/profiles/rfp2023.js';
import type { LaunchRate } from '../../core/scale/launchRate.js';
import type { BlockPlan } from '../../core/plan/blockPlan.js';
import { getScenario } from '../engine/scenarios.js';
import { simulateRun } from '../engine/simulateRun.js';
import { DEFAULT_SIM_MODEL, type SimModel } from '../model/model.js';
import { simLaunchRate } from '../model/simLaunchRate.js';
import { meanStartup } from '../model/startup.js';
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

// The whole start-up after the token: a refill instance is up a full start-up after its token.
const NO_OVERLAP = { beforeTokenSeconds: 0 };

/**
 * A hand-built plan with only what the bound reads: jobs in topological order, each `[tier, seconds, children]`.
 * Heavy and light kinds are 'H' and 'L'; a job's remaining time is its own plus its parent's.
 */
function tinyPlan(jobs: readonly (readonly ['heavy' | 'light', number, readonly number[]])[]): BlockPlan {
  const depOffsets = new Int32Array(jobs.length + 1);
  const depList: number[] = [];
  const parents = new Int32Array(jobs.length).fill(-1);
  jobs.forEach(([, , children], job) => {
    for (const child of children) {
      depList.push(child);
      parents[child] = job;
    }
    depOffsets[job + 1] = depList.length;
  });
  const remainingSeconds = new Float64Array(jobs.length);
  for (let job = jobs.length - 1; job >= 0; job--) {
    remainingSeconds[job] = jobs[job]![1] + (parents[job]! === -1 ? 0 : remainingSeconds[parents[job]!]!);
  }
  return {
    size: jobs.length,
    kinds: ['H', 'L'],
    kindCodes: Uint8Array.from(jobs.map(([tier]) => (tier === 'heavy' ? 0 : 1))),
    depOffsets,
    depList: Int32Array.from(depList),
    parents,
    expectedSeconds: Float64Array.from(jobs.map(([, seconds]) => seconds)),
    remainingSeconds,
    profile: { kinds: { H: { tier: 'heavy' }, L: { tier: 'light' } } },
  } as unknown as BlockPlan;
}

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
    const bound = coldMakespanBound(plan, rate, NO_OVERLAP);
    expect(bound.binding).toBe('critical path');
    expect(bound.makespanSeconds).toBeCloseTo(80 + plan.criticalPathSeconds, 6);
  });

  it('is set by the launch rate when the bucket is small, and never lets the instances do more work than they can', () => {
    const bound = coldMakespanBound(plan, slow, NO_OVERLAP);
    expect(bound.binding).not.toBe('critical path');
    expect(bound.makespanSeconds).toBeGreaterThan(80 + plan.criticalPathSeconds + 30);
    // All the work must be done on the instances up by the makespan: counted independently here.
    expect(pooledSecondsBy(slow, bound.makespanSeconds)).toBeGreaterThanOrEqual(workInstanceSeconds(slow));
    // A slower refill or a later start-up only makes it later.
    expect(coldMakespanBound(plan, { ...slow, instancesPerSecond: 0.05 }, NO_OVERLAP).makespanSeconds).toBeGreaterThan(bound.makespanSeconds);
    expect(coldMakespanBound(plan, { ...slow, startupSeconds: 120 }, NO_OVERLAP).makespanSeconds).toBeGreaterThan(bound.makespanSeconds);
  });

  it('counts that an instance serves one tier: sharing the bucket between tiers is later than either alone could be', () => {
    const bound = coldMakespanBound(plan, slow, NO_OVERLAP);
    // Pooled instance-seconds would allow an earlier makespan: the split between the tiers is what sets it.
    expect(bound.binding).toBe('launch rate, per tier');
    // If light agents packed a million to an instance, light would need almost none of the bucket.
    const lightFree = coldMakespanBound(plan, { ...slow, agentsPerInstance: { heavy: 6, light: 1_000_000 } }, NO_OVERLAP);
    expect(lightFree.makespanSeconds).toBeLessThan(bound.makespanSeconds);
  });

  it('counts the windows that open after the first agents are up, as if either tier could use any instance', () => {
    // Heavy alone (light free): a window opening later than the first agents sets it, which only the pooled check sees.
    const lightFree = coldMakespanBound(plan, { ...slow, agentsPerInstance: { heavy: 6, light: 1_000_000 } }, NO_OVERLAP);
    expect(lightFree.binding).toBe('launch rate, pooled');
  });

  it('refuses, with a named error, a launch rate under which no instance or no agent ever comes up', () => {
    expect(() => coldMakespanBound(plan, { ...rate, burstInstances: 0, instancesPerSecond: 0 }, NO_OVERLAP)).toThrow(InvalidLaunchRateError);
    expect(() => coldMakespanBound(plan, { ...rate, agentsPerInstance: { heavy: 0, light: 24 } }, NO_OVERLAP)).toThrow(/hosts no heavy agent/);
    expect(() => coldMakespanBound(plan, { ...rate, startupSeconds: Number.NaN }, NO_OVERLAP)).toThrow(InvalidLaunchRateError);
  });

  it('is never beaten by the simulated scaler from a cold start under the same bucket', async () => {
    const model: SimModel = { ...DEFAULT_SIM_MODEL, ec2: { ...DEFAULT_SIM_MODEL.ec2, launchBucket: { burst: 4, refillPerSecond: 0.1 } } };
    const bound = coldMakespanBound(plan, simLaunchRate(model), { beforeTokenSeconds: meanStartup(model).beforeTokenSeconds });
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

  it('is the exact fluid answer on a block small enough to solve by hand', () => {
    // 30 independent heavy jobs of 10 s (critical path 60 s), one agent per instance, an instance up at 50 s, then
    // one every 10 s. All the work (300 instance-seconds) is due by M; with x = M − 50 the instances up before M give
    // x + (x − 10) + (x − 20) + …; 8 of them (x in (70, 80]) give 8x − 280 = 300: x = 72.5, M = 122.5.
    const thirty = tinyPlan(Array.from({ length: 30 }, () => ['heavy', 10, []] as const));
    const bucket: LaunchRate = { burstInstances: 1, instancesPerSecond: 0.1, agentsPerInstance: { heavy: 1, light: 1 }, startupSeconds: 50 };
    const alone = coldMakespanBound(thirty, bucket, NO_OVERLAP);
    expect(alone.binding).toBe('launch rate, pooled');
    expect(alone.makespanSeconds).toBeGreaterThanOrEqual(122.5 - 1e-9);
    expect(alone.makespanSeconds).toBeLessThanOrEqual(122.5 + 0.05);
    // With 15 s of the start-up before the token, refill instance k is up at max(50, 35 + 10k): 50, 50, 55, 65, …
    // 2x + (x − 5) + (x − 15) + … ; 8 instances (x in (55, 65]) give 8x − 180 = 300: x = 60, M = 110.
    const overlapped = coldMakespanBound(thirty, bucket, { beforeTokenSeconds: 15 });
    expect(overlapped.makespanSeconds).toBeGreaterThanOrEqual(110 - 1e-9);
    expect(overlapped.makespanSeconds).toBeLessThanOrEqual(110 + 0.05);
  });

  it("lets light use the part of heavy's last instance that heavy does not need", () => {
    // Two instances up at 50 s, no refill, one agent each. Heavy: three 10-s jobs feeding a light 10-s root (so heavy
    // is due at M − 10; the root is released at 60); light: six more independent 10-s jobs. With y = M − 50:
    // - pooled: 100 instance-seconds on 2y, y ≥ 50;
    // - per tier: heavy takes 30 / (y − 10) of the first instance, light (70 s) the rest of it and the second:
    //   (2 − 30 / (y − 10)) y ≥ 70, i.e. y² − 60y + 350 ≥ 0: y = 30 + √550 ≈ 53.452, M ≈ 103.452.
    // Without the fractional split (the whole first instance heavy's), light would need y ≥ 70: M = 120.
    const block = tinyPlan([
      ['heavy', 10, []],
      ['heavy', 10, []],
      ['heavy', 10, []],
      ['light', 10, [0, 1, 2]],
      ...Array.from({ length: 6 }, () => ['light', 10, []] as const),
    ]);
    const two: LaunchRate = { burstInstances: 2, instancesPerSecond: 0, agentsPerInstance: { heavy: 1, light: 1 }, startupSeconds: 50 };
    const bound = coldMakespanBound(block, two, NO_OVERLAP);
    const exact = 50 + 30 + Math.sqrt(550);
    expect(bound.binding).toBe('launch rate, per tier');
    expect(bound.makespanSeconds).toBeGreaterThanOrEqual(exact - 1e-9);
    expect(bound.makespanSeconds).toBeLessThanOrEqual(exact + 0.05);
  });

  it('refuses a start-up before the token that is negative or longer than the start-up', () => {
    expect(() => coldMakespanBound(plan, rate, { beforeTokenSeconds: -1 })).toThrow(InvalidLaunchRateError);
    expect(() => coldMakespanBound(plan, rate, { beforeTokenSeconds: 81 })).toThrow(/before the token/);
  });
});
