import type { RunContexts } from '../agent/runContexts.js';
import type { AgentCapacity } from '../ports/agentCapacity.js';
import type { Logger } from '../ports/logger.js';
import type { ProvingRun } from '../ports/provingRun.js';
import type { WorkQueue } from '../ports/workQueue.js';
import { TIERS, type Tier } from '../tiers.js';
import type { ScalingSettings } from './scalingSettings.js';
import { sizeTier, type TierDecision, type TierDemand } from './sizeTier.js';
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

/**
 * One scaling tick over every run being proven (agents serve all runs of their tier): measures each tier's
 * demand and starts the agents it lacks. Agents stop by themselves when idle, so scaling down needs no action.
 */
export async function scaleCapacity(
  deps: ScaleCapacityDependencies,
  settings: ScalingSettings,
  active: readonly RunProgress[],
  now: { readonly wallMs: number; readonly l1Seconds: number },
): Promise<Record<Tier, TierDecision>> {
  const decisions = {} as Record<Tier, TierDecision>;
  const shapes = await Promise.all(
    active.map(async ({ run, doneJobs }) => {
      let profile = deps.profiles.get(run.runId);
      if (!profile) {
        profile = widthProfile((await deps.runs.get(run.runId)).plan);
        deps.profiles.set(run.runId, profile);
      }
      const started = run.provingStartedAt || now.wallMs;
      const elapsed = (now.wallMs - started) / 1000 / settings.secondsPerExpectedSecond;
      const at = doneJobs === null ? elapsed : profile.progressAt(doneJobs);
      const remainingCritical = Math.max(0, profile.criticalPathSeconds - at) * settings.secondsPerExpectedSecond;
      const timeLeft = run.provingDeadline - now.l1Seconds;
      return { profile, at, slack: timeLeft - remainingCritical, timeLeft, remainingCritical };
    }),
  );
  for (const tier of TIERS) {
    const [depth, agents] = await Promise.all([deps.queue.depth(tier), deps.capacity.count(tier)]);
    const demand: TierDemand = {
      queued: depth.ready,
      inFlight: depth.inFlight,
      upcoming: sum(shapes.map((s) => s.profile.upcoming(tier, s.at, settings.horizonSeconds))),
      remainingWorkSeconds: sum(shapes.map((s) => s.profile.remainingWork(tier, s.at))) * settings.secondsPerExpectedSecond,
      slackSeconds: Math.min(Infinity, ...shapes.map((s) => s.slack)),
      workWindowSeconds: Math.min(Infinity, ...shapes.map((s) => s.timeLeft - s.remainingCritical / 2)),
    };
    const decision = sizeTier(demand, agents, {
      minAgents: settings.minAgents[tier],
      maxAgents: settings.maxAgents[tier],
      urgentSlackSeconds: settings.urgentSlackSeconds,
    });
    if (decision.start > 0) {
      deps.log.info('starting agents', { tier, start: decision.start, desired: decision.desired, spot: decision.spot, why: decision.why });
      await deps.capacity.start(tier, decision.start, { spot: decision.spot, reason: decision.why });
    }
    decisions[tier] = decision;
  }
  for (const runId of deps.profiles.keys()) {
    if (!active.some(({ run }) => run.runId === runId)) deps.profiles.delete(runId);
  }
  return decisions;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
