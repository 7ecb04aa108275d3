import type { BlockPlan } from '../plan/blockPlan.js';
import { depsOf } from '../plan/jobAt.js';
import type { Tier } from '../tiers.js';
import { countAtOrBelow } from './countAtOrBelow.js';
import { sourceJobsOf, type SourceJobs } from './sourceJobs.js';

/**
 * When each job of a plan would start with unlimited machines (as soon as its children are done): the shape of
 * the demand the scaler provisions ahead of, and the plan's source jobs per tier. It depends on the plan only; the
 * scaler keeps one per live run across ticks (`ScalerMemory`).
 */
export interface WidthProfile {
  readonly criticalPathSeconds: number;
  readonly plan: BlockPlan;
  readonly sources: Readonly<Record<Tier, SourceJobs>>;
  /** Jobs of `tier` that start in (fromSeconds, fromSeconds + horizonSeconds] of the ideal schedule. */
  upcoming(tier: Tier, fromSeconds: number, horizonSeconds: number): number;
  /** Jobs of `tier` that have not started by `atSeconds` of the ideal schedule. */
  notStarted(tier: Tier, atSeconds: number): number;
  /** The point of the ideal schedule at which `doneJobs` jobs would be finished. */
  progressAt(doneJobs: number): number;
  /** Expected job-seconds of `tier` still to run after `atSeconds` of the ideal schedule. */
  remainingWork(tier: Tier, atSeconds: number): number;
}

export function widthProfile(plan: BlockPlan): WidthProfile {
  const start = new Float64Array(plan.size);
  const ends = new Float64Array(plan.size);
  const byTier: Record<Tier, number[]> = { heavy: [], light: [] };
  const tierOfKind = plan.kinds.map((kind) => plan.profile.kinds[kind]!.tier);
  for (let job = 0; job < plan.size; job++) {
    let earliest = 0;
    for (const dep of depsOf(plan, job)) earliest = Math.max(earliest, start[dep]! + plan.expectedSeconds[dep]!);
    start[job] = earliest;
    ends[job] = earliest + plan.expectedSeconds[job]!;
    byTier[tierOfKind[plan.kindCodes[job]!]!].push(job);
  }
  const startsByTier = {
    heavy: Float64Array.from(byTier.heavy, (job) => start[job]!).sort(),
    light: Float64Array.from(byTier.light, (job) => start[job]!).sort(),
  };
  // Work still to run after t, per tier, as a suffix sum over jobs sorted by start.
  const suffixWork = (tier: Tier) => {
    const jobs = [...byTier[tier]].sort((a, b) => start[a]! - start[b]!);
    const suffix = new Float64Array(jobs.length + 1);
    for (let i = jobs.length - 1; i >= 0; i--) suffix[i] = suffix[i + 1]! + plan.expectedSeconds[jobs[i]!]!;
    return suffix;
  };
  const workAfter = { heavy: suffixWork('heavy'), light: suffixWork('light') };
  ends.sort();
  return {
    criticalPathSeconds: plan.criticalPathSeconds,
    plan,
    sources: sourceJobsOf(plan),
    upcoming: (tier, from, horizon) =>
      countAtOrBelow(startsByTier[tier], from + horizon) - countAtOrBelow(startsByTier[tier], from),
    notStarted: (tier, at) => startsByTier[tier].length - countAtOrBelow(startsByTier[tier], at),
    progressAt: (doneJobs) => (doneJobs <= 0 ? 0 : ends[Math.min(doneJobs, ends.length) - 1]!),
    remainingWork: (tier, at) => workAfter[tier][countAtOrBelow(startsByTier[tier], at)]!,
  };
}
