import { TIERS, type Tier } from '../tiers.js';
import { referenceSchedule, type SourceCapacity } from './referenceSchedule.js';
import type { RunPacing } from './runPacing.js';
import type { ScalingSettings } from './scalingSettings.js';
import { sourceAgentsNeeded } from './sourceAgentsNeeded.js';
import type { WidthProfile } from './widthProfile.js';

export interface PacingInputs {
  /** Seconds since proving started. */
  readonly elapsed: number;
  /** Seconds until the proving deadline. */
  readonly timeLeft: number;
  /** Agents of each tier already working for this run. */
  readonly running: (tier: Tier) => number;
  readonly settings: ScalingSettings;
  readonly stretch: number;
}

/** A run's pacing as fixed at its first tick, and the source capacity its reference schedule assumes. */
export interface PlannedPacing {
  readonly pacing: RunPacing;
  readonly capacity: Readonly<Record<Tier, SourceCapacity>>;
}

/**
 * Fixes a run's target finish and reference schedule at its first tick. Work starts now if every tier with source
 * jobs has agents, else one provisioning horizon from now; the target is `stretch` × the critical path after that,
 * never less than the critical path itself and never later than the deadline less the urgent slack. Each tier's
 * source jobs get the agents that end them just in time for that target.
 */
export function planPacing(
  profile: WidthProfile,
  { elapsed, timeLeft, running, settings, stretch }: PacingInputs,
): PlannedPacing {
  const critical = profile.criticalPathSeconds;
  const arriveAt = elapsed + settings.horizonSeconds;
  const withSources = TIERS.filter((tier) => profile.sources[tier].jobs.length > 0);
  const startsAt = withSources.every((tier) => running(tier) > 0) ? elapsed : arriveAt;
  const latest = elapsed + timeLeft - settings.urgentSlackSeconds;
  const finishAt = Math.max(startsAt + critical, Math.min(startsAt + stretch * critical, latest));
  const capacity = {} as Record<Tier, SourceCapacity>;
  for (const tier of TIERS) {
    const sources = profile.sources[tier];
    const now = running(tier);
    const needed = sourceAgentsNeeded(sources, sources.jobs.length, { now: elapsed, arriveAt, finishAt, busy: 0, idle: now });
    const later = Math.min(settings.maxAgents[tier], needed) - now;
    capacity[tier] = { now, later: Math.max(0, later), laterAt: arriveAt };
  }
  const reference = referenceSchedule(profile.plan, profile.sources, capacity);
  return { capacity, pacing: { reference, capacity, finishAt, startsAt, lagSeconds: 0 } };
}
