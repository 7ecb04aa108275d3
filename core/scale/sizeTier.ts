import type { AgentCount } from '../ports/agentCapacity.js';

export interface TierDemand {
  /** Jobs waiting in the tier's queue. */
  readonly queued: number;
  /** Jobs being proven. */
  readonly inFlight: number;
  /** Jobs the plans say become ready within the provisioning horizon. */
  readonly upcoming: number;
  /** Expected job-seconds still to prove in this tier (all active runs). */
  readonly remainingWorkSeconds: number;
  /** The least time left before a run's deadline once its remaining critical path is subtracted (seconds). */
  readonly slackSeconds: number;
  /** Time left for this tier's work before the tightest deadline, after the remaining critical path tail. */
  readonly workWindowSeconds: number;
}

export interface TierLimits {
  readonly minAgents: number;
  readonly maxAgents: number;
  /** Below this slack, capacity is bought on demand (no Spot interruptions) and sized to the deadline. */
  readonly urgentSlackSeconds: number;
}

export interface TierDecision {
  readonly desired: number;
  readonly start: number;
  readonly spot: boolean;
  readonly why: string;
}

/**
 * How many agents a tier needs: enough for the jobs waiting, running and about to become ready (the DAG's
 * upcoming width), never more than the work can use; when the deadline is at risk, at least enough to finish the
 * remaining work in the time left, on demand.
 */
export function sizeTier(demand: TierDemand, agents: AgentCount, limits: TierLimits): TierDecision {
  const width = demand.queued + demand.inFlight + demand.upcoming;
  const urgent = demand.slackSeconds < limits.urgentSlackSeconds;
  const forDeadline =
    urgent && demand.remainingWorkSeconds > 0
      ? Math.ceil(demand.remainingWorkSeconds / Math.max(demand.workWindowSeconds, 1))
      : 0;
  const desired = clamp(Math.max(width, forDeadline), limits.minAgents, limits.maxAgents);
  const have = agents.running + agents.starting;
  const start = Math.max(0, desired - have);
  const why = urgent
    ? `deadline at risk (slack ${Math.round(demand.slackSeconds)} s): ${desired} agents on demand`
    : `width ${width} (queued ${demand.queued}, in flight ${demand.inFlight}, upcoming ${demand.upcoming})`;
  return { desired, start, spot: !urgent, why };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
