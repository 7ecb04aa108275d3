import type { SourceJobs } from './sourceJobs.js';

export interface SourcePacing {
  /** Seconds (on the run's own time axis) now. */
  readonly now: number;
  /** When agents started now would be working. */
  readonly arriveAt: number;
  /** When the root proof should be done: each job must end `tail` seconds before it. */
  readonly finishAt: number;
  /** Agents proving now: free again in about half a job. */
  readonly busy: number;
  /** Agents waiting for work now. */
  readonly idle: number;
  /** Agents asked for earlier, not working yet, and when they are expected to be. */
  readonly starting?: number;
  readonly startingAt?: number;
}

/**
 * How many agents a tier's source jobs need, in total (working, starting and new), so that each of the `waiting`
 * jobs not yet started (the latest-starting ones: queues serve the earliest latest start first, SQS roughly, by
 * lane) ends in time for its consumers, `tail` seconds before `finishAt`. Agents take jobs in rounds of the tier's mean duration: by a job's
 * latest start, the rounds that began since each agent became free must cover it and every job ahead of it.
 * Fewer agents than this would make the block late; more would finish the tier early and leave agents idle, which
 * is what matching the queue's width does. A job that new agents could not start in time does not size them (the
 * deadline slack deals with lateness).
 */
export function sourceAgentsNeeded(sources: SourceJobs, waiting: number, pacing: SourcePacing): number {
  const count = sources.jobs.length;
  const first = count - Math.min(Math.max(waiting, 0), count);
  const round = sources.meanSeconds;
  const starting = pacing.starting ?? 0;
  const working = pacing.busy + pacing.idle + starting;
  if (first === count || round <= 0) return working;
  const startingAt = pacing.startingAt ?? pacing.arriveAt;
  const busyFreeAt = pacing.now + round / 2;
  // The epsilon keeps float noise (179.2272 − 89.2272 = 89.99999…) from costing a whole round.
  const rounds = (from: number, latestStart: number) =>
    latestStart < from - 1e-6 ? 0 : Math.floor((latestStart - from) / round + 1e-6) + 1;
  let needed = 0;
  for (let i = first; i < count; i++) {
    const latestStart = pacing.finishAt - sources.tails[i]! - sources.seconds[i]!;
    const jobsByThen = i - first + 1;
    const covered =
      pacing.idle * rounds(pacing.now, latestStart) +
      pacing.busy * rounds(busyFreeAt, latestStart) +
      starting * rounds(startingAt, latestStart);
    if (covered >= jobsByThen) continue;
    const fromNew = rounds(pacing.arriveAt, latestStart);
    if (fromNew === 0) continue;
    needed = Math.max(needed, Math.ceil((jobsByThen - covered) / fromNew));
  }
  return working + needed;
}
