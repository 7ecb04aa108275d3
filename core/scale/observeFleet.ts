import type { AgentCapacity, AgentCount } from '../ports/agentCapacity.js';
import type { FleetTargets, PublishedTarget } from '../ports/fleetTargets.js';
import type { ProvingRun } from '../ports/provingRun.js';
import type { WorkQueue } from '../ports/workQueue.js';
import type { RunContexts } from '../run/runContexts.js';
import { TIERS, type Tier } from '../tiers.js';
import { widthProfile, type WidthProfile } from './widthProfile.js';

export interface RunProgress {
  readonly run: ProvingRun;
  /** Proofs done so far when the store can say cheaply; otherwise progress is inferred from elapsed time. */
  readonly doneJobs: number | null;
}

/** One tier as the scaler sees it at a tick. */
export interface TierObservation {
  readonly depth: { readonly ready: number; readonly inFlight: number };
  /** Agents running and starting (AgentCapacity.count). */
  readonly agents: AgentCount;
  /** What the previous tick published, with the tier's leave count as read before counting; null before the first. */
  readonly published: PublishedTarget | null;
}

/** A live run, with the shape of its plan (computed once per run and kept by the caller). */
export interface ObservedRun extends RunProgress {
  readonly profile: WidthProfile;
}

/** Everything one scaling tick decides from; `sizeFleet` reads nothing else. */
export interface FleetObservation {
  readonly wallMs: number;
  readonly l1Seconds: number;
  readonly tiers: Readonly<Record<Tier, TierObservation>>;
  /** Every live run, provisioning or proving: one fleet serves them all. */
  readonly runs: readonly ObservedRun[];
}

export interface ObserveFleetDependencies {
  readonly queue: WorkQueue;
  readonly capacity: AgentCapacity;
  readonly targets: FleetTargets;
  readonly runs: RunContexts;
  /** Width profiles by run id, kept across ticks (a profile costs a pass over the plan); new runs are added here. */
  readonly profiles: Map<string, WidthProfile>;
}

/** Reads what a tick needs: per tier the queue depth, the agents and the last target; per run its plan's shape. */
export async function observeFleet(
  deps: ObserveFleetDependencies,
  active: readonly RunProgress[],
  now: { readonly wallMs: number; readonly l1Seconds: number },
): Promise<FleetObservation> {
  const tiers = {} as Record<Tier, TierObservation>;
  for (const tier of TIERS) {
    // The target (with its leave count) is read before the agents are counted: every leave granted after the read
    // may still be in the count, and the next target discounts it (`TierTarget.leftAtCount`).
    const [depth, published] = await Promise.all([deps.queue.depth(tier), deps.targets.get(tier)]);
    const agents = await deps.capacity.count(tier);
    tiers[tier] = { depth: { ready: depth.ready, inFlight: depth.inFlight }, agents, published };
  }
  const runs = await Promise.all(active.map(async (progress) => ({ ...progress, profile: await profileOf(deps, progress.run.runId) })));
  return { ...now, tiers, runs };
}

/** The run's width profile: the one kept in `profiles`, else derived from its plan and kept there. */
export async function profileOf(deps: Pick<ObserveFleetDependencies, 'runs' | 'profiles'>, runId: string): Promise<WidthProfile> {
  let profile = deps.profiles.get(runId);
  if (!profile) {
    profile = widthProfile((await deps.runs.get(runId)).plan);
    deps.profiles.set(runId, profile);
  }
  return profile;
}
