import { latestStartOf, runDue } from '../jobs/urgency.js';
import type { PublishedTarget, RunWork, TierTarget } from '../ports/fleetTargets.js';
import { TIERS, type Tier } from '../tiers.js';
import type { FleetObservation, ObservedRun, TierObservation } from './observeFleet.js';
import { planPacing } from './planPacing.js';
import type { RunPacing } from './runPacing.js';
import { DEFAULT_EXIT_LISTED_SECONDS, DEFAULT_LOOKAHEAD_SECONDS, DEFAULT_STRAGGLER_SECONDS, DEFAULT_TARGET_STRETCH, type ScalingSettings } from './scalingSettings.js';
import { sizeTier, type TierDemand } from './sizeTier.js';
import { sourceAgentsNeeded } from './sourceAgentsNeeded.js';
import type { WidthProfile } from './widthProfile.js';

/** What one tick does to a tier. */
export interface TierDecision {
  /** Agents the live runs need now (within the quota). */
  readonly desired: number;
  /** Agents to start now (the deficit). */
  readonly start: number;
  /** The published target: agents above it leave by themselves between jobs. */
  readonly target: number;
  /**
   * Stragglers to stop through the capacity port: surplus still there `stragglerSeconds` after the tier went above
   * target, at most the agents that have not started (running ones leave by themselves).
   */
  readonly stop: number;
  readonly spot: boolean;
  readonly why: string;
}

/** The outcome of sizing: what to do, what to publish, and the runs' pacing for the next tick. */
export interface FleetSizing {
  readonly tiers: Readonly<Record<Tier, TierDecision>>;
  readonly targets: Readonly<Record<Tier, TierTarget>>;
  /** The pacing state of every live run (runs no longer live are dropped). */
  readonly pacing: ReadonlyMap<string, RunPacing>;
  /** Per tier, the leave counts read at recent ticks (`leaveCounts`), for the next tick. */
  readonly leaveReads: ReadonlyMap<Tier, readonly LeaveRead[]>;
  /** Run ids, most urgent first: committed before open-race and prove-all, then by latest start (deadline − remaining critical path). */
  readonly order: readonly string[];
  /**
   * Per live run, its latest start (L1 seconds): its deadline less its remaining critical path on the time scale
   * (`latestStartOf`), the same rule a job message's `latestStart` is reckoned by.
   */
  readonly latestStarts: ReadonlyMap<string, number>;
}

/** The tier's leave count as one tick read it (`PublishedTarget.left`, read before counting the agents). */
export interface LeaveRead {
  readonly atMs: number;
  readonly left: number;
}

/**
 * The leave counts a new target carries: the count read before this tick's agent count (`leftAtCount`), and the
 * count up to which departed agents are surely gone from it (`leftBefore`): the latest read at least
 * `exitListedSeconds` old — the previous tick's, or one the scaler remembers from an earlier tick (`reads`) — else
 * the older bound the previous target used. Every leave since counts against the surplus.
 *
 * Without the remembered reads, ticks closer together than `exitListedSeconds` would never find a read old enough,
 * so `leftBefore` would stay at its first value and every leave ever granted would count against each new surplus:
 * once as many agents had left as the tier counts, none could leave again.
 *
 * Returns the reads worth remembering: this tick's, and those not yet old enough plus the newest that is.
 */
export function leaveCounts(
  published: PublishedTarget | null,
  wallMs: number,
  settings: Pick<ScalingSettings, 'exitListedSeconds'>,
  reads: readonly LeaveRead[] = [],
): Pick<TierTarget, 'leftAtCount' | 'leftBefore'> & { readonly reads: readonly LeaveRead[] } {
  if (published === null) return { leftAtCount: 0, leftBefore: 0, reads: [] };
  const listedMs = (settings.exitListedSeconds ?? DEFAULT_EXIT_LISTED_SECONDS) * 1_000;
  const old = reads.filter((read) => wallMs - read.atMs >= listedMs);
  const recent = reads.filter((read) => wallMs - read.atMs < listedMs);
  const remembered = Math.max(-1, ...old.map((read) => read.left));
  const previous = wallMs - published.publishedAt >= listedMs ? published.leftAtCount : published.leftBefore;
  const leftBefore = Math.min(published.left, Math.max(previous, remembered));
  const newest = old.length > 0 ? [old.reduce((a, b) => (b.atMs > a.atMs ? b : a))] : [];
  return { leftAtCount: published.left, leftBefore, reads: [...newest, ...recent, { atMs: wallMs, left: published.left }] };
}


/** A live run as one tick sees it (seconds on the run's axis unless said otherwise). */
interface RunShape {
  readonly observed: ObservedRun;
  readonly pacing: RunPacing;
  readonly elapsed: number;
  /** Where the run stands on its reference schedule (elapsed less its lag). */
  readonly onPlan: number;
  /** Where it stands on the ideal schedule, from its proofs done (or elapsed time). */
  readonly ideal: number;
  /** Wall seconds before its deadline once its projected remaining time is subtracted. */
  readonly slack: number;
  /** Wall seconds left for work before its deadline, after half its remaining critical path. */
  readonly workWindow: number;
  /** Deadline less remaining critical path (L1 seconds): when the run must be worked on at the latest. */
  readonly latestStart: number;
}

/**
 * Sizes one fleet per tier for every live run, within the tier's quota (`maxAgents`): pure, from an observation and
 * the runs' pacing state, returning the decisions, the per-tier targets to publish and the new pacing state.
 *
 * Each run is placed on its reference schedule (fixed at its first tick: `targetStretch` × its critical path, within
 * its deadline) and the tier's demand is what the runs' schedules keep busy one provisioning horizon ahead, what
 * paced source jobs need, and any backlog. When a deadline is at risk, the tier gets the agents that finish the
 * remaining work of the runs due soonest in time (earliest deadline first: the prefix of runs, by deadline, that
 * needs the most agents). Agents above the target leave by themselves; the scaler stops only stragglers.
 */
export function sizeFleet(
  observation: FleetObservation,
  pacing: ReadonlyMap<string, RunPacing>,
  settings: ScalingSettings,
  leaveReads: ReadonlyMap<Tier, readonly LeaveRead[]> = new Map(),
): FleetSizing {
  const { tiers: observed, runs, wallMs } = observation;
  const scale = settings.secondsPerExpectedSecond;
  // Queue depths and agent counts are per tier, not per run: with one run they say exactly where it is.
  const single = runs.length === 1;
  const shapes = runs.map((run) => shapeOf(run, pacing.get(run.run.runId), observation, settings, single));
  const decisions = {} as Record<Tier, TierDecision>;
  const targets = {} as Record<Tier, TierTarget>;
  const reads = new Map<Tier, readonly LeaveRead[]>();
  for (const tier of TIERS) {
    const demand = tierDemand(tier, shapes, observed[tier], settings, single);
    const { agents, published } = observed[tier];
    const sized = sizeTier(demand, agents, {
      minAgents: settings.minAgents[tier],
      maxAgents: settings.maxAgents[tier],
      urgentSlackSeconds: settings.urgentSlackSeconds,
    });
    const have = agents.running + agents.starting;
    // Agents the old scaler stopped at once (idle, and not needed before new ones could arrive) now leave by themselves,
    // but never below what the live runs' remaining work needs by their deadlines (`sustainedAgents`): under EC2's
    // launch rate (2 instances/s) an agent that leaves between two blocks of a stream is slow to come back.
    const keep = sized.shed > 0 ? Math.max(have - sized.shed, Math.min(have, sustainedAgents(tier, shapes, settings))) : Math.max(have, sized.desired);
    const target = Math.min(settings.maxAgents[tier], keep);
    const surplus = Math.max(0, have - target);
    const aboveSince = surplus > 0 ? (published?.aboveSince ?? wallMs) : null;
    const { reads: tierReads, ...counts } = leaveCounts(published, wallMs, settings, leaveReads.get(tier));
    reads.set(tier, tierReads);
    const stragglerMs = (settings.stragglerSeconds ?? DEFAULT_STRAGGLER_SECONDS) * 1_000;
    const overdue = aboveSince !== null && wallMs - aboveSince >= stragglerMs;
    // Stop only agents that have not started: Batch cannot tell a busy running agent from an idle one, and a running
    // agent above the target leaves by itself between jobs. Agents granted a leave that may still be counted are
    // leaving, not stragglers.
    const leaving = published === null ? 0 : published.left - counts.leftBefore;
    const stop = overdue ? Math.min(Math.max(0, surplus - leaving), agents.starting) : 0;
    decisions[tier] = {
      desired: sized.desired,
      start: sized.start,
      target,
      stop,
      spot: sized.spot,
      why: stop > 0 ? `${sized.why}; ${stop} stragglers above the target of ${target} for ${Math.round((wallMs - aboveSince!) / 1_000)} s` : sized.why,
    };
    targets[tier] = {
      agents: target,
      observed: have,
      running: agents.running,
      ...counts,
      quotaAgents: settings.maxAgents[tier],
      aboveSince,
      work: shapes.map((shape): RunWork => ({
        runId: shape.observed.run.runId,
        deadline: shape.observed.run.provingDeadline,
        reason: shape.observed.run.reason,
        remainingSeconds: shape.pacing.reference.remainingWork(tier, shape.onPlan) * scale,
      })),
      publishedAt: wallMs,
    };
  }
  return {
    tiers: decisions,
    targets,
    pacing: new Map(shapes.map((shape) => [shape.observed.run.runId, shape.pacing])),
    leaveReads: reads,
    order: urgencyOrder(shapes),
    latestStarts: new Map(shapes.map((shape) => [shape.observed.run.runId, shape.latestStart])),
  };
}

function shapeOf(
  observed: ObservedRun,
  previous: RunPacing | undefined,
  { tiers, wallMs, l1Seconds }: FleetObservation,
  settings: ScalingSettings,
  single: boolean,
): RunShape {
  const { run, profile, doneJobs } = observed;
  const scale = settings.secondsPerExpectedSecond;
  const started = run.provingStartedAt || wallMs;
  const elapsed = (wallMs - started) / 1_000 / scale;
  const timeLeft = (run.provingDeadline - l1Seconds) / scale;
  let pacing =
    previous ??
    planPacing(profile, {
      elapsed,
      timeLeft,
      running: (tier) => (single ? tiers[tier].agents.running : 0),
      settings,
      stretch: settings.targetStretch ?? DEFAULT_TARGET_STRETCH,
    }).pacing;
  if (single) pacing = { ...pacing, lagSeconds: lagOf(profile, pacing, elapsed, tiers) };
  const onPlan = elapsed - pacing.lagSeconds;
  const ideal = doneJobs === null ? elapsed : profile.progressAt(doneJobs);
  // Expected seconds, each reckoned against the deadline on the run's time scale by the one rule (`latestStartOf`).
  const remainingCritical = Math.max(0, profile.criticalPathSeconds - ideal);
  const projected = Math.max(0, pacing.reference.makespanSeconds - onPlan);
  const due = runDue(run, scale);
  return {
    observed,
    pacing,
    elapsed,
    onPlan,
    ideal,
    slack: latestStartOf(due, projected) - l1Seconds,
    workWindow: latestStartOf(due, remainingCritical / 2) - l1Seconds,
    latestStart: latestStartOf(due, remainingCritical),
  };
}

function tierDemand(tier: Tier, shapes: readonly RunShape[], { depth, agents }: TierObservation, settings: ScalingSettings, single: boolean): TierDemand {
  const horizon = settings.horizonSeconds;
  const lookahead = settings.lookaheadSeconds ?? DEFAULT_LOOKAHEAD_SECONDS;
  const scale = settings.secondsPerExpectedSecond;
  const paced = (shape: RunShape) => {
    const sources = shape.observed.profile.sources[tier];
    // On plan, the reference schedule already says what the sources need; re-pace only a run that fell behind, and
    // only while sources wait: once all have started, pacing needs no agent (the backlog keeps the busy ones).
    if (!single || !sources.wholeTier || shape.pacing.lagSeconds <= sources.meanSeconds / 3) return 0;
    if (depth.ready === 0) return 0;
    const busy = Math.min(depth.inFlight, agents.running);
    return sourceAgentsNeeded(sources, depth.ready, {
      now: shape.elapsed,
      arriveAt: shape.elapsed + horizon,
      finishAt: shape.pacing.finishAt,
      busy,
      idle: agents.running - busy,
      // Agents already asked for are in the launch pipeline: count them from the planned start (or now, if later).
      starting: agents.starting,
      startingAt: Math.max(shape.elapsed, shape.pacing.startsAt),
    });
  };
  // A tier whose every job is a source and whose sources have all started gets no new work: the plan needs only
  // the agents still proving (the backlog), whatever the reference says, so idle ones can go at once.
  const exhausted = single && shapes[0]!.observed.profile.sources[tier].wholeTier && depth.ready === 0;
  const remaining = (shape: RunShape) => shape.observed.profile.remainingWork(tier, shape.ideal) * scale;
  const due = deadlineNeed(shapes.map((shape) => ({ work: remaining(shape), window: shape.workWindow })));
  return {
    queued: depth.ready,
    inFlight: depth.inFlight,
    planned: exhausted ? 0 : sum(shapes.map((s) => s.pacing.reference.peakBusy(tier, s.onPlan + horizon, s.onPlan + horizon + lookahead))),
    plannedSoon: exhausted ? 0 : sum(shapes.map((s) => s.pacing.reference.peakBusy(tier, s.onPlan, s.onPlan + horizon + lookahead))),
    paced: sum(shapes.map(paced)),
    pacedOnly: single && shapes[0]!.observed.profile.sources[tier].wholeTier,
    expectedQueued: sum(shapes.map((s) => s.pacing.reference.queued(tier, s.onPlan))),
    remainingWorkSeconds: due.work,
    slackSeconds: Math.min(Infinity, ...shapes.map((s) => s.slack)),
    workWindowSeconds: due.window,
  };
}

/**
 * The work and window that need the most agents when every run must finish its work in its own window, runs served
 * earliest window first: over the runs sorted by window, the prefix whose total work per second of its last window
 * is highest. With one run, its own work and window.
 */
export function deadlineNeed(runs: readonly { readonly work: number; readonly window: number }[]): { work: number; window: number } {
  let best = { work: 0, window: Infinity };
  let bestRate = -1;
  let work = 0;
  for (const run of [...runs].sort((a, b) => a.window - b.window)) {
    work += run.work;
    const rate = work / Math.max(run.window, 1);
    if (rate > bestRate) {
      bestRate = rate;
      best = { work, window: run.window };
    }
  }
  return best;
}

/**
 * The agents a tier needs, at the least, for the live runs' remaining work (as their reference schedules have it) to
 * be done by their work windows, earliest window first: the fluid rate of the busiest prefix. Agents below it are
 * not shed even when idle for a moment, since the work they are needed for is already committed.
 */
function sustainedAgents(tier: Tier, shapes: readonly RunShape[], settings: ScalingSettings): number {
  const due = deadlineNeed(
    shapes.map((shape) => ({ work: shape.pacing.reference.remainingWork(tier, shape.onPlan) * settings.secondsPerExpectedSecond, window: shape.workWindow })),
  );
  return due.work === 0 ? 0 : Math.ceil(due.work / Math.max(due.window, 1));
}

/** Committed runs first (their bonds are at stake), then by latest start, earliest first. */
function urgencyOrder(shapes: readonly RunShape[]): string[] {
  const rank = (shape: RunShape) => (shape.observed.run.reason === 'committed' ? 0 : 1);
  return [...shapes]
    .sort((a, b) => rank(a) - rank(b) || a.latestStart - b.latestStart)
    .map((shape) => shape.observed.run.runId);
}

/**
 * How far behind its reference schedule a run is, from its source tiers: as many source jobs have started as had in
 * the reference at some window of times; inside that window the run is on plan, after it behind, before it ahead.
 * Agents take jobs in rounds, so the reference moves in steps; a few stragglers (1 % of the tier) are not a lag, or
 * a round that ran a little long would look like a whole round behind.
 */
function lagOf(profile: WidthProfile, pacing: RunPacing, elapsed: number, tiers: Readonly<Record<Tier, TierObservation>>): number {
  let lag: number | null = null;
  for (const tier of TIERS) {
    const sources = profile.sources[tier];
    if (!sources.wholeTier) continue;
    const total = sources.jobs.length;
    const started = total - tiers[tier].depth.ready;
    if (started >= total) continue;
    const tolerance = Math.ceil(total / 100);
    const from = pacing.reference.timeWhenSourcesStarted(tier, started - tolerance);
    const until = pacing.reference.timeWhenSourcesStarted(tier, started + tolerance + 1);
    const behind = elapsed > until ? elapsed - until : elapsed < from ? elapsed - from : 0;
    lag = lag === null ? behind : Math.max(lag, behind);
  }
  return lag ?? pacing.lagSeconds;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
