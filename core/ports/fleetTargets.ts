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
  /**
   * Of `observed`, the agents already running (launched and polling): the fleet quoting can count on. Starting ones
   * may still wait for EC2's launch bucket. Absent (a publisher that did not count them): none, the safe side.
   */
  readonly running?: number;
  /** The tier's leave count (`PublishedTarget.left`) as the scaler read it just before counting `observed`. */
  readonly leftAtCount: number;
  /**
   * The leave count up to which agents that left are surely not in `observed`. Leaves granted after it may still be
   * listed by Batch (an exited job is listed as running for a while), so they count against the surplus.
   */
  readonly leftBefore: number;
  /** The tier's quota in agents (the agents its compute environments' maxvCpus hold, by vCPUs and registered memory: `jobsWithinVcpus`). */
  readonly quotaAgents: number;
  /** Wall ms at which the tier first went above its target in the current spell; null while it is not above. */
  readonly aboveSince: number | null;
  /** The live runs' remaining work in this tier: what quoting reserves capacity for. */
  readonly work: readonly RunWork[];
  /** Wall ms of the publication. */
  readonly publishedAt: number;
}

/** A published target and the tier's leave count. */
export interface PublishedTarget extends TierTarget {
  /** Leaves granted in the tier so far; never reset, so a new target can discount agents that left but still count. */
  readonly left: number;
}

/** When a `put` may replace the tier's target. */
export interface PutCondition {
  /** Only if the current target was published at exactly this wall ms (null: only if there is none). */
  readonly ifPublishedAt?: number | null;
}

/**
 * The per-tier fleet target: the scaler publishes it, agents read it between jobs and leave by themselves while
 * their tier runs above it (so scaling down costs no Batch API call), and quoting reads the committed work in it.
 * It also holds the scaling tick's lease: one fleet-wide tick at a time, however many runs ask for one.
 */
export interface FleetTargets {
  get(tier: Tier): Promise<PublishedTarget | null>;
  /**
   * Replaces the tier's target, keeping its leave count, only if it is newer than the one it replaces (and, with
   * `ifPublishedAt`, only if that one is the one the caller read). False when it was not written.
   */
  put(tier: Tier, target: TierTarget, condition?: PutCondition): Promise<boolean>;
  /**
   * Grants one agent of the tier a leave, atomically, while `surplusOf` the target is above 0: exactly the surplus
   * leaves, however many agents ask at once. False when there is no target or no surplus left.
   */
  claimLeave(tier: Tier): Promise<boolean>;
  /** Takes the scaling tick's lease until `untilMs`, unless another tick holds it past `nowMs`. */
  claimTick(nowMs: number, untilMs: number): Promise<boolean>;
  /** Gives the lease taken with `untilMs` back (nothing if it expired and another tick took it). */
  endTick(untilMs: number, nowMs: number): Promise<void>;
  /**
   * The scaler's memory as the last tick saved it (`encodeScalerMemory`'s text, read as stored: decoding is the
   * caller's), or null if none was ever saved.
   */
  loadScalerMemory(): Promise<string | null>;
  /**
   * Stores the scaler's memory, only while the tick's lease is still the one the caller took with `untilMs` (no other
   * tick has taken it since, nor has it been given back): a tick that lost its lease cannot overwrite what a newer one
   * saved. A lease past `untilMs` that nobody took over is still the caller's (every claim writes its own `untilMs`,
   * and the caller gives the lease back only after its save). False when it was not written. Throws `ScalerMemoryTooLargeError` above `SCALER_MEMORY_MAX_BYTES`.
   */
  saveScalerMemory(record: string, untilMs: number): Promise<boolean>;
}

/**
 * Agents of the tier above its target that have not claimed a leave yet (0 without a target): the observed count
 * less the target, less every leave granted since `leftBefore` (those agents may still be in the count).
 */
export function surplusOf(target: PublishedTarget | null): number {
  return target === null ? 0 : Math.max(0, target.observed - target.agents - (target.left - target.leftBefore));
}
