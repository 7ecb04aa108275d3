import type { Tier } from '../tiers.js';

/**
 * How fast new agents can come up: EC2 launches instances through a per-account, per-region resource token bucket
 * that every tier (and everything else in the account) shares, and Batch places agents on the instances it launches.
 * The scaler and quoting read it, so neither plans on a fleet EC2 cannot launch in time.
 */
export interface LaunchRate {
  /** Instances EC2 launches at once from a full bucket. */
  readonly burstInstances: number;
  /** Instances per second once the burst is spent (the bucket's refill). */
  readonly instancesPerSecond: number;
  /** Agents one launched instance hosts, per tier (the instance's vCPUs and memory ÷ an agent's). */
  readonly agentsPerInstance: Readonly<Record<Tier, number>>;
  /**
   * Seconds from asking for an agent on a new instance to its first poll: Batch scheduling, pending → running, boot
   * and ECS registration, image pull, container start. AWS documents none of these bounds: a parameter (the
   * simulator's model gives ~75 s median).
   */
  readonly startupSeconds: number;
}

/**
 * 80 s from SubmitJob to a fresh agent's first poll: the simulator's model, whose parts (Batch scheduling, EC2
 * pending → running, boot, image pull, container start) each cite their source in `sim/model/model.ts`
 * (`simLaunchRate` gives 80.3 s). AWS documents no bound: a parameter wherever it is used.
 */
export const DEFAULT_AGENT_STARTUP_SECONDS = 80;

/**
 * EC2's RunInstances resource token bucket: "the resource token bucket size for RunInstances is 1000 tokens, and the
 * refill rate is two tokens per second" (EC2 developer guide, "Request throttling for the Amazon EC2 API", resource
 * rate limiting: https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html). Raisable on request, so a
 * parameter everywhere it is used.
 */
export const EC2_RUN_INSTANCES_BUCKET: Pick<LaunchRate, 'burstInstances' | 'instancesPerSecond'> = {
  burstInstances: 1_000,
  instancesPerSecond: 2,
};

/**
 * The most instances EC2 can have launched within `seconds` from now, given `tokens` left in the bucket now (the
 * burst when unknown and the account is quiet; 0 to be safe when it may be spent): never more than the bucket holds
 * plus what it refills.
 */
export function instancesLaunchableWithin(rate: Pick<LaunchRate, 'instancesPerSecond'>, tokens: number, seconds: number): number {
  if (seconds <= 0) return 0;
  return Math.floor(Math.max(0, tokens) + rate.instancesPerSecond * seconds);
}

/**
 * The most agents of a tier that can be polling `seconds` from now on instances not yet launched, if that tier had
 * the bucket's `tokens` and refill to itself: launches must be asked for `startupSeconds` ahead.
 */
export function agentsReachableWithin(rate: LaunchRate, tier: Tier, tokens: number, seconds: number): number {
  return instancesLaunchableWithin(rate, tokens, seconds - rate.startupSeconds) * rate.agentsPerInstance[tier];
}

/**
 * The most instances that can be launched within `seconds` from now when `tokens` may be below zero: a negative
 * balance is launches asked for earlier and still waiting for the bucket, which are served first.
 */
export function instancesLaunchableBehind(rate: Pick<LaunchRate, 'instancesPerSecond'>, tokens: number, seconds: number): number {
  if (seconds <= 0) return Math.max(0, Math.floor(tokens));
  return Math.max(0, Math.floor(tokens + rate.instancesPerSecond * seconds));
}
