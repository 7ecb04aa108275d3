import { InvalidLaneSplitsError } from '../errors/index.js';
import type { BlockPlan } from '../plan/blockPlan.js';
import type { JobMessage } from '../ports/workQueue.js';

/** How a tier's queue is split into lanes by a job's slack (its latest start minus now). */
export interface LaneSettings {
  /**
   * Slack splits in seconds, strictly ascending: lane i holds the jobs whose slack is below `laneSlackSeconds[i]`
   * (and not below the split before), the last lane every other job. Empty: one lane.
   */
  readonly laneSlackSeconds: readonly number[];
}

/** Two lanes: a job with less than 5 minutes of slack is urgent (lane 0). */
export const DEFAULT_LANE_SLACK_SECONDS: readonly number[] = [300];

/** When a run is due and how fast its proofs run: what the latest start of its work is reckoned from. */
export interface RunDue {
  /** The run's proving deadline (L1 seconds). */
  readonly provingDeadline: number;
  /** Wall seconds one expected second of proving takes: 1 in the cloud, the SIMULATED time scale on the devnet. */
  readonly secondsPerExpectedSecond: number;
}

/** A run's `RunDue` under a time scale. */
export function runDue(run: { readonly provingDeadline: number }, secondsPerExpectedSecond: number): RunDue {
  return { provingDeadline: run.provingDeadline, secondsPerExpectedSecond };
}

/**
 * The latest time work with `remainingExpectedSeconds` of critical path still ahead of it (expected seconds) can
 * start and still end by the run's deadline: the deadline less that path on the run's time scale. The one rule for
 * "deadline less remaining work": job messages (`latestStart`) and the scaler (`sizeFleet`) both reckon with it.
 */
export function latestStartOf(due: RunDue, remainingExpectedSeconds: number): number {
  return due.provingDeadline - remainingExpectedSeconds * due.secondsPerExpectedSecond;
}

/**
 * The latest time job `index` can start and its run still meet its deadline: the deadline less the job's remaining
 * critical path (`latestStartOf`). Same clock as the deadline (L1 seconds); the earlier, the more urgent, across runs.
 */
export function latestStart(plan: BlockPlan, index: number, due: RunDue): number {
  return latestStartOf(due, plan.remainingSeconds[index]!);
}

/**
 * The message a stopping agent sends back for the job it was proving (Spot's notice, a scale-down): due now, so it
 * goes to the most urgent lane instead of behind the backlog it already waited through once. SQS cannot move a
 * message between queues or ahead in one; the agent sends this anew and deletes the one it holds.
 */
export function returnedMessage(message: JobMessage, nowSeconds: number): JobMessage {
  return { ...message, latestStart: Math.min(message.latestStart, nowSeconds) };
}

/** The lane a job with this latest start goes to at `now` (seconds, the deadline's clock): 0 is the most urgent. */
export function laneOf(latestStartSeconds: number, now: number, settings: LaneSettings): number {
  const slack = latestStartSeconds - now;
  const splits = settings.laneSlackSeconds;
  let lane = 0;
  while (lane < splits.length && slack >= splits[lane]!) lane++;
  return lane;
}

/** How many lanes the settings make. */
export function laneCount(settings: LaneSettings): number {
  return settings.laneSlackSeconds.length + 1;
}

/** Checks lane splits: finite, non-negative, strictly ascending; throws `InvalidLaneSplitsError` otherwise. */
export function laneSettings(laneSlackSeconds: readonly number[]): LaneSettings {
  const valid = laneSlackSeconds.every((split, i) => Number.isFinite(split) && split >= 0 && (i === 0 || split > laneSlackSeconds[i - 1]!));
  if (!valid) throw new InvalidLaneSplitsError(laneSlackSeconds);
  return { laneSlackSeconds: [...laneSlackSeconds] };
}
