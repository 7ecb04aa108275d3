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
 *
 * Starting now is a plan only if the agents there can end some tier's sources by the target or new ones still can:
 * a few agents left after a long quiet spell (a block alone after a gap) would otherwise fix a target so near that no
 * new agent could start a source in time, so the plan would ask for none and keep the few — a reference makespan of
 * hours that the deadline rule cannot correct (source work counts as started on the ideal schedule). Then, as with
 * no agents, the plan starts when new agents arrive.
 */
export function planPacing(profile: WidthProfile, inputs: PacingInputs): PlannedPacing {
  const { elapsed, running, settings } = inputs;
  const arriveAt = elapsed + settings.horizonSeconds;
  const withSources = TIERS.filter((tier) => profile.sources[tier].jobs.length > 0);
  if (withSources.every((tier) => running(tier) > 0)) {
    const now = pacingFrom(profile, inputs, elapsed);
    if (!withSources.some((tier) => now.stranded[tier])) return now.planned;
  }
  return pacingFrom(profile, inputs, arriveAt).planned;
}

/**
 * The pacing with work starting at `startsAt`, and per tier whether it is stranded: the agents there cannot end its
 * sources by the target (agents arriving at once would be wanted) yet none arriving a horizon from now could help.
 */
function pacingFrom(
  profile: WidthProfile,
  { elapsed, timeLeft, running, settings, stretch }: PacingInputs,
  startsAt: number,
): { readonly planned: PlannedPacing; readonly stranded: Readonly<Record<Tier, boolean>> } {
  const critical = profile.criticalPathSeconds;
  const arriveAt = elapsed + settings.horizonSeconds;
  const latest = elapsed + timeLeft - settings.urgentSlackSeconds;
  const finishAt = Math.max(startsAt + critical, Math.min(startsAt + stretch * critical, latest));
  const capacity = {} as Record<Tier, SourceCapacity>;
  const stranded = {} as Record<Tier, boolean>;
  for (const tier of TIERS) {
    const sources = profile.sources[tier];
    const now = running(tier);
    const needed = sourceAgentsNeeded(sources, sources.jobs.length, { now: elapsed, arriveAt, finishAt, busy: 0, idle: now });
    const later = Math.min(settings.maxAgents[tier], needed) - now;
    capacity[tier] = { now, later: Math.max(0, later), laterAt: arriveAt };
    stranded[tier] = needed <= now && sourceAgentsNeeded(sources, sources.jobs.length, { now: elapsed, arriveAt: elapsed, finishAt, busy: 0, idle: now }) > now;
  }
  const reference = referenceSchedule(profile.plan, profile.sources, capacity);
  return { planned: { capacity, pacing: { reference, capacity, finishAt, startsAt, lagSeconds: 0 } }, stranded };
}
