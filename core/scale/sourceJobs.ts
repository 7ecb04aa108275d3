import type { BlockPlan } from '../plan/blockPlan.js';
import { TIERS, type Tier } from '../tiers.js';

/**
 * A tier's source jobs (no children, so ready as soon as the block is planned), in the order the queue serves them:
 * longest remaining critical path first, then the order they were enqueued in (plan order).
 */
export interface SourceJobs {
  /** Plan indexes, in serving order. */
  readonly jobs: Int32Array;
  /** Expected seconds of each, in serving order. */
  readonly seconds: Float64Array;
  /** Seconds from each one's end to the root proof along its longest path, in serving order. */
  readonly tails: Float64Array;
  readonly meanSeconds: number;
  /** Every job of the tier is a source: its unfinished jobs are exactly what its queue holds (ready + in flight). */
  readonly wholeTier: boolean;
}

/** The source jobs of each tier of a plan. */
export function sourceJobsOf(plan: BlockPlan): Record<Tier, SourceJobs> {
  const tierOfKind = plan.kinds.map((kind) => plan.profile.kinds[kind]!.tier);
  const byTier: Record<Tier, number[]> = { heavy: [], light: [] };
  const others: Record<Tier, number> = { heavy: 0, light: 0 };
  for (let job = 0; job < plan.size; job++) {
    const tier = tierOfKind[plan.kindCodes[job]!]!;
    if (plan.depOffsets[job + 1] === plan.depOffsets[job]) byTier[tier].push(job);
    else others[tier]++;
  }
  const result = {} as Record<Tier, SourceJobs>;
  for (const tier of TIERS) {
    const order = byTier[tier].sort((a, b) => plan.remainingSeconds[b]! - plan.remainingSeconds[a]! || a - b);
    const seconds = Float64Array.from(order, (job) => plan.expectedSeconds[job]!);
    const total = seconds.reduce((sum, value) => sum + value, 0);
    result[tier] = {
      jobs: Int32Array.from(order),
      seconds,
      tails: Float64Array.from(order, (job) => plan.remainingSeconds[job]! - plan.expectedSeconds[job]!),
      meanSeconds: order.length > 0 ? total / order.length : 0,
      wholeTier: order.length > 0 && others[tier] === 0,
    };
  }
  return result;
}
