import type { AgentCount } from '../ports/agentCapacity.js';

export interface TierDemand {
  /** Jobs waiting in the tier's queue. */
  readonly queued: number;
  /** Jobs being proven. */
  readonly inFlight: number;
  /** Agents the runs' reference schedules keep busy when agents started now would be working (the forecast). */
  readonly planned: number;
  /** The most agents the reference schedules keep busy from now until agents started now would be working. */
  readonly plannedSoon: number;
  /** Agents the tier's source jobs need to end in time for their consumers (0 when not paced). */
  readonly paced: number;
  /** Every queued job is a paced source job: a long queue is then the plan, not a backlog. */
  readonly pacedOnly: boolean;
  /** Of the queued jobs, how many the reference schedule expects to be waiting now (paced sources not yet due). */
  readonly expectedQueued: number;
  /** Expected job-seconds still to prove in this tier (all active runs). */
  readonly remainingWorkSeconds: number;
  /** The least time left before a run's deadline once its projected remaining time is subtracted (seconds). */
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

export interface TierSize {
  readonly desired: number;
  readonly start: number;
  /** Idle agents the plan will not need before new ones could be started: the tier's target leaves them out. */
  readonly shed: number;
  readonly spot: boolean;
  readonly why: string;
}

/**
 * How many agents a tier needs: what the reference schedule will keep busy once new agents could arrive, what its
 * source jobs need to end just in time for their consumers, and an agent for every job that is in flight or
 * waiting beyond the plan with no idle agent to take it (a backlog: the run fell behind, or agents were lost). A queue of paced source jobs is
 * not a backlog: matching its width would finish that tier early and leave its agents idle. When the deadline is at
 * risk, at least enough to finish the remaining work in the time left, on demand.
 *
 * It also scales down: with nothing queued, agents beyond what the plan keeps busy until new ones could arrive (and
 * beyond the backlog) are idle and will stay so; shedding them now (they leave by themselves) saves their idle
 * timeout, which at 30-second proofs is a large share of an agent's bill. Agents that may be needed again soon are
 * kept, since a new one costs a launch.
 */
export function sizeTier(demand: TierDemand, agents: AgentCount, limits: TierLimits): TierSize {
  // Waiting jobs an idle agent is about to take are no backlog: new agents would arrive a horizon later to an empty
  // queue (a round's worth of children lands at once, and the agents that proved them take the parents).
  const idleNow = Math.max(0, agents.running - demand.inFlight);
  const surplus = demand.pacedOnly ? 0 : Math.max(0, demand.queued - demand.expectedQueued - idleNow);
  const backlog = demand.inFlight + surplus;
  const urgent = demand.slackSeconds < limits.urgentSlackSeconds;
  const forDeadline =
    urgent && demand.remainingWorkSeconds > 0
      ? Math.ceil(demand.remainingWorkSeconds / Math.max(demand.workWindowSeconds, 1))
      : 0;
  // A tier whose every job is a source, in its last round: fewer jobs wait than agents are running, so each waiting
  // job goes to an agent as it finishes its proof and no new job will come — except the jobs of agents no longer
  // counted (lost, killed), which come back when their visibility times out. Beyond those jobs (and what the plan
  // wants once new agents could arrive) every agent is surplus as soon as its proof ends: the target says so while the
  // round runs, so they leave as their proofs end (busy agents leave only between jobs) instead of a confirming tick
  // and a grace after the queue empties. Once nothing waits it applies only while some agent is idle (fewer jobs in
  // flight than agents): with as many jobs in flight as agents, an idle agent and a job whose agent is gone look alike
  // in the counts, and the rule below keeps that agent for the job that will come back.
  const lastRound =
    demand.pacedOnly && !urgent && demand.queued < agents.running && (demand.queued > 0 || demand.inFlight < agents.running);
  const orphaned = Math.max(0, demand.inFlight - agents.running);
  const wanted = lastRound
    ? Math.max(demand.planned, demand.queued + orphaned)
    : Math.max(demand.planned, demand.paced, backlog, forDeadline);
  const desired = clamp(wanted, limits.minAgents, limits.maxAgents);
  const have = agents.running + agents.starting;
  const start = Math.max(0, desired - have);
  const keep = lastRound ? desired : Math.max(demand.plannedSoon, desired);
  // The queue's in-flight count lags the agents by a request or two: leave a margin so no busy agent is stopped.
  const idle = Math.max(0, agents.running - demand.inFlight - Math.ceil(agents.running / 100) - 1) + agents.starting;
  const shed = lastRound ? Math.max(0, have - keep) : demand.queued === 0 && !urgent ? Math.max(0, Math.min(have - keep, idle)) : 0;
  const why = urgent
    ? `deadline at risk (slack ${Math.round(demand.slackSeconds)} s): ${desired} agents on demand`
    : lastRound
      ? `last round of sources: ${demand.queued} queued (${orphaned} held by agents gone) for ${agents.running} running, planned ${demand.planned}`
      : `planned ${demand.planned}, paced ${demand.paced}, backlog ${backlog} (queued ${demand.queued}, in flight ${demand.inFlight})`;
  const capped = wanted > limits.maxAgents ? `; the quota of ${limits.maxAgents} agents binds (${wanted} wanted)` : '';
  return { desired, start, shed, spot: !urgent, why: why + capped };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
