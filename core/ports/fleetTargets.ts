import type { ProveReason } from './provingRun.js';
import type { Tier } from '../tiers.js';

/** One live run's expected work still to prove in a tier, as the scaler last saw it. */
export interface RunWork {
  readonly runId: string;
  /** The run's proving deadline (L1 seconds). */
  readonly deadline: number;
  readonly reason: ProveReason;
  /** Expected job-seconds of this tier still to prove (wall seconds). */
  readonly remainingSeconds: number;
}

/** What the scaler publishes for one tier each tick: one fleet for every live run. */
export interface TierTarget {
  /** Agents the tier should have, starting and running, all live runs together; never above `quotaAgents`. */
  readonly agents: number;
  /** Agents the scaler counted (running and starting) when it set `agents`. */
  readonly observed: number;
  /** The tier's quota in agents (its compute environments' maxvCpus ÷ vCPUs per agent). */
  readonly quotaAgents: number;
  /** Wall ms at which the tier first went above its target in the current spell; null while it is not above. */
  readonly aboveSince: number | null;
  /** The live runs' remaining work in this tier: what quoting reserves capacity for. */
  readonly work: readonly RunWork[];
  /** Wall ms of the publication. */
  readonly publishedAt: number;
}

/** A published target and the leaves agents claimed against it since. */
export interface PublishedTarget extends TierTarget {
  readonly leaving: number;
}

/**
 * The per-tier fleet target: the scaler publishes it, agents read it between jobs and leave by themselves while
 * their tier runs above it (so scaling down costs no Batch API call), and quoting reads the committed work in it.
 */
export interface FleetTargets {
  get(tier: Tier): Promise<PublishedTarget | null>;
  /** Replaces the tier's target; `leaving` starts again at 0, since the new count no longer includes those who left. */
  put(tier: Tier, target: TierTarget): Promise<void>;
  /**
   * Grants one agent of the tier a leave, atomically, while `observed − leaving > agents`: exactly the surplus leaves,
   * however many agents ask at once. False when there is no target or no surplus left.
   */
  claimLeave(tier: Tier): Promise<boolean>;
}

/** Agents of the tier above its target that have not claimed a leave yet (0 without a target). */
export function surplusOf(target: PublishedTarget | null): number {
  return target === null ? 0 : Math.max(0, target.observed - target.leaving - target.agents);
}
