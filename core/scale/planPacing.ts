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
 * Starting now is the plan unless it would end after waiting's target and waiting ends sooner. A few agents left after a long
 * quiet spell (a block alone after a gap) would otherwise fix a target so near that no new agent could start a source
 * in time, so the plan would ask for none and keep the few: a reference of hours that the deadline rule cannot correct
 * (source work counts as started on the ideal schedule). Then, as with no agents, the plan starts when new agents
 * arrive. A block short of only a round or two, or a tier already at its most agents (waiting adds none), starts now.
 */
export function planPacing(profile: WidthProfile, inputs: PacingInputs): PlannedPacing {
  const arriveAt = inputs.elapsed + inputs.settings.horizonSeconds;
  const waited = pacingFrom(profile, inputs, arriveAt);
  const withSources = TIERS.filter((tier) => profile.sources[tier].jobs.length > 0);
  if (!withSources.every((tier) => inputs.running(tier) > 0)) return waited;
  const now = pacingFrom(profile, inputs, inputs.elapsed);
  const nowEnds = now.pacing.reference.makespanSeconds;
  return nowEnds > waited.pacing.finishAt && waited.pacing.reference.makespanSeconds < nowEnds ? waited : now;
}

/** The pacing with work starting at `startsAt`: its target, and each tier's source agents now and a horizon later. */
function pacingFrom(profile: WidthProfile, { elapsed, timeLeft, running, settings, stretch }: PacingInputs, startsAt: number): PlannedPacing {
  const critical = profile.criticalPathSeconds;
  const arriveAt = elapsed + settings.horizonSeconds;
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
