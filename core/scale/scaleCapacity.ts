import type { RunContexts } from '../run/runContexts.js';
import type { AgentCapacity, AgentCount } from '../ports/agentCapacity.js';
import type { Logger } from '../ports/logger.js';
import type { ProvingRun } from '../ports/provingRun.js';
import type { WorkQueue } from '../ports/workQueue.js';
import { TIERS, type Tier } from '../tiers.js';
import { planPacing } from './planPacing.js';
import { DEFAULT_TARGET_STRETCH, type ScalingSettings } from './scalingSettings.js';
import { sizeTier, type TierDecision, type TierDemand } from './sizeTier.js';
import { sourceAgentsNeeded } from './sourceAgentsNeeded.js';
import { widthProfile, type WidthProfile } from './widthProfile.js';

export interface ScaleCapacityDependencies {
  readonly queue: WorkQueue;
  readonly capacity: AgentCapacity;
  readonly runs: RunContexts;
  readonly log: Logger;
  /** Width profiles by run id; kept by the caller across ticks (a profile costs a pass over the plan). */
  readonly profiles: Map<string, WidthProfile>;
}

export interface RunProgress {
  readonly run: ProvingRun;
  /** Proofs done so far when the store can say cheaply; otherwise progress is inferred from elapsed time. */
  readonly doneJobs: number | null;
}

interface Observed {
  readonly depth: { readonly ready: number; readonly inFlight: number };
  readonly agents: AgentCount;
}

/** Seconds of forecast beyond the provisioning horizon: about one scaling tick, so agents are asked for in time. */
const DEFAULT_LOOKAHEAD_SECONDS = 15;

/**
 * One scaling tick over every run being proven (agents serve all runs of their tier): measures each tier's demand,
 * starts the agents it lacks and stops idle ones the plan no longer needs (agents also stop by themselves when idle,
 * which is the safety net if the scaler stops ticking).
 *
 * At a run's first tick the scaler fixes a target finish (`targetStretch` × critical path after the first agents
 * can start, within the deadline) and the reference schedule that meets it: each tier's source jobs paced to end
 * just in time for their consumers, everything else as soon as it is ready. Each tick then places the run on that
 * schedule (from its source tiers' progress, so a run that fell behind is not asked to be where the clock says),
 * asks for what the schedule needs one provisioning horizon ahead, re-paces the sources from what is really left,
 * and covers any backlog.
 */
export async function scaleCapacity(
  deps: ScaleCapacityDependencies,
  settings: ScalingSettings,
  active: readonly RunProgress[],
  now: { readonly wallMs: number; readonly l1Seconds: number },
): Promise<Record<Tier, TierDecision>> {
  const decisions = {} as Record<Tier, TierDecision>;
  const observed = {} as Record<Tier, Observed>;
  for (const tier of TIERS) {
    const [depth, agents] = await Promise.all([deps.queue.depth(tier), deps.capacity.count(tier)]);
    observed[tier] = { depth, agents };
  }
  // Queue depths and agent counts are per tier, not per run: with one run they say exactly where it is.
  const single = active.length === 1;
  const horizon = settings.horizonSeconds;
  const lookahead = settings.lookaheadSeconds ?? DEFAULT_LOOKAHEAD_SECONDS;
  const shapes = await Promise.all(
    active.map(async ({ run, doneJobs }) => {
      let profile = deps.profiles.get(run.runId);
      if (!profile) {
        profile = widthProfile((await deps.runs.get(run.runId)).plan);
        deps.profiles.set(run.runId, profile);
      }
      const started = run.provingStartedAt || now.wallMs;
      const elapsed = (now.wallMs - started) / 1000 / settings.secondsPerExpectedSecond;
      const timeLeft = (run.provingDeadline - now.l1Seconds) / settings.secondsPerExpectedSecond;
      const pacing = profile.pacing;
      if (!pacing.reference) {
        const running = (tier: Tier) => (single ? observed[tier].agents.running : 0);
        planPacing(profile, { elapsed, timeLeft, running, settings, stretch: settings.targetStretch ?? DEFAULT_TARGET_STRETCH });
      }
      if (single) pacing.lagSeconds = lagOf(profile, elapsed, observed);
      const reference = pacing.reference!;
      const onPlan = elapsed - pacing.lagSeconds;
      const ideal = doneJobs === null ? elapsed : profile.progressAt(doneJobs);
      const remainingCritical = Math.max(0, profile.criticalPathSeconds - ideal) * settings.secondsPerExpectedSecond;
      const projected = Math.max(0, reference.makespanSeconds - onPlan) * settings.secondsPerExpectedSecond;
      const wallLeft = run.provingDeadline - now.l1Seconds;
      return { profile, elapsed, onPlan, ideal, slack: wallLeft - projected, workWindow: wallLeft - remainingCritical / 2 };
    }),
  );
  for (const tier of TIERS) {
    const { depth, agents } = observed[tier];
    const paced = (shape: (typeof shapes)[number]) => {
      const sources = shape.profile.sources[tier];
      // On plan, the reference schedule already says what the sources need; re-pace only a run that fell behind, and
      // only while sources wait: once all have started, pacing needs no agent (the backlog keeps the busy ones).
      if (!single || !sources.wholeTier || shape.profile.pacing.lagSeconds <= sources.meanSeconds / 3) return 0;
      if (depth.ready === 0) return 0;
      const { finishAt, startsAt } = shape.profile.pacing;
      const busy = Math.min(depth.inFlight, agents.running);
      return sourceAgentsNeeded(sources, depth.ready, {
        now: shape.elapsed,
        arriveAt: shape.elapsed + horizon,
        finishAt,
        busy,
        idle: agents.running - busy,
        // Agents already asked for are in the launch pipeline: count them from the planned start (or now, if later).
        starting: agents.starting,
        startingAt: Math.max(shape.elapsed, startsAt),
      });
    };
    // A tier whose every job is a source and whose sources have all started gets no new work: the plan needs only
    // the agents still proving (the backlog), whatever the reference says, so idle ones are stopped at once.
    const exhausted = single && shapes[0]!.profile.sources[tier].wholeTier && depth.ready === 0;
    const reference = (shape: (typeof shapes)[number]) => shape.profile.pacing.reference!;
    const demand: TierDemand = {
      queued: depth.ready,
      inFlight: depth.inFlight,
      planned: exhausted ? 0 : sum(shapes.map((s) => reference(s).peakBusy(tier, s.onPlan + horizon, s.onPlan + horizon + lookahead))),
      plannedSoon: exhausted ? 0 : sum(shapes.map((s) => reference(s).peakBusy(tier, s.onPlan, s.onPlan + horizon + lookahead))),
      paced: sum(shapes.map(paced)),
      pacedOnly: single && shapes[0]!.profile.sources[tier].wholeTier,
      expectedQueued: sum(shapes.map((s) => reference(s).queued(tier, s.onPlan))),
      remainingWorkSeconds: sum(shapes.map((s) => s.profile.remainingWork(tier, s.ideal))) * settings.secondsPerExpectedSecond,
      slackSeconds: Math.min(Infinity, ...shapes.map((s) => s.slack)),
      workWindowSeconds: Math.min(Infinity, ...shapes.map((s) => s.workWindow)),
    };
    const decision = sizeTier(demand, agents, {
      minAgents: settings.minAgents[tier],
      maxAgents: settings.maxAgents[tier],
      urgentSlackSeconds: settings.urgentSlackSeconds,
    });
    if (decision.start > 0) {
      deps.log.info('starting agents', { tier, start: decision.start, desired: decision.desired, ...agents, spot: decision.spot, why: decision.why });
      await deps.capacity.start(tier, decision.start, { spot: decision.spot, reason: decision.why });
    }
    if (decision.stop > 0) {
      deps.log.info('stopping idle agents', { tier, stop: decision.stop, why: decision.why });
      await deps.capacity.stop(tier, decision.stop);
    }
    decisions[tier] = decision;
  }
  for (const runId of deps.profiles.keys()) {
    if (!active.some(({ run }) => run.runId === runId)) deps.profiles.delete(runId);
  }
  return decisions;
}

/**
 * How far behind its reference schedule a run is, from its source tiers: as many source jobs have started as had in
 * the reference at some window of times; inside that window the run is on plan, after it behind, before it ahead.
 * Agents take jobs in rounds, so the reference moves in steps; a few stragglers (1 % of the tier) are not a lag, or
 * a round that ran a little long would look like a whole round behind.
 */
function lagOf(profile: WidthProfile, elapsed: number, observed: Readonly<Record<Tier, Observed>>): number {
  const reference = profile.pacing.reference!;
  let lag: number | null = null;
  for (const tier of TIERS) {
    const sources = profile.sources[tier];
    if (!sources.wholeTier) continue;
    const total = sources.jobs.length;
    const started = total - observed[tier].depth.ready;
    if (started >= total) continue;
    const tolerance = Math.ceil(total / 100);
    const from = reference.timeWhenSourcesStarted(tier, started - tolerance);
    const until = reference.timeWhenSourcesStarted(tier, started + tolerance + 1);
    const behind = elapsed > until ? elapsed - until : elapsed < from ? elapsed - from : 0;
    lag = lag === null ? behind : Math.max(lag, behind);
  }
  return lag ?? profile.pacing.lagSeconds;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
