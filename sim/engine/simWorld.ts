import type { FleetTargets } from '../../core/ports/fleetTargets.js';
import type { BlockPlan } from '../../core/plan/blockPlan.js';
import { jobIdAt } from '../../core/plan/jobAt.js';
import type { ArtifactStore } from '../../core/ports/artifactStore.js';
import type { JobStore } from '../../core/ports/jobStore.js';
import type { Synchronous } from '../../core/ports/synchronous.js';
import type { SimModel } from '../model/model.js';
import { hashText } from '../model/stableHash.js';
import type { ControlPlaneCounts } from '../world/controlPlaneMeter.js';
import type { Fleet } from '../world/fleet.js';
import type { SimWorkQueue } from '../world/simWorkQueue.js';
import type { EventLoop } from './eventLoop.js';
import type { ProofLedger } from './proofLedger.js';

/** One block being proven in the simulated world: its plan, and what agents look up per job. */
export interface SimRun {
  readonly plan: BlockPlan;
  /** The plan's job ids, by index (built once; job ids are what the store and queues key on). */
  readonly jobIds: readonly string[];
  /** Each job id's hash: keys its proof durations. */
  readonly jobKeys: Uint32Array;
  readonly bodyDigest: string;
}

/** A block's `SimRun`, its job ids and keys computed once. */
export function simRunOf(plan: BlockPlan, bodyDigest: string): SimRun {
  const jobIds = Array.from({ length: plan.size }, (_, index) => jobIdAt(plan, index));
  const jobKeys = new Uint32Array(plan.size);
  for (let i = 0; i < plan.size; i++) jobKeys[i] = hashText(jobIds[i]!);
  return { plan, jobIds, jobKeys, bodyDigest };
}

/** Everything the agents of one simulation share: simulated time, the modelled services, the runs and the record. */
export interface SimWorld {
  readonly loop: EventLoop;
  readonly model: SimModel;
  /** The per-tier fleet targets the scaler publishes and agents read between jobs (answered at once). */
  readonly targets: Synchronous<FleetTargets>;
  /** Seeds the per-agent latency streams and, with the job, proof durations. */
  readonly seed: string;
  readonly seedKey: number;
  readonly store: Synchronous<JobStore>;
  readonly queue: SimWorkQueue;
  readonly artifacts: Synchronous<ArtifactStore>;
  readonly counts: ControlPlaneCounts;
  /** Attempts per job id so far (the n-th attempt at a job always draws the same duration). */
  readonly attempts: Map<string, number>;
  readonly ledger: ProofLedger;
  readonly fleet: () => Fleet;
  /** The block a run proves (every run an agent can receive a job of is known). */
  runOf(runId: string): SimRun;
  /** The root proof exists (the driver's `rootProven`). */
  rootProven(runId: string, digest: string): Promise<void>;
  /** A job failed for good (the driver's `fail`); the run cannot finish. */
  failed(runId: string, reason: string): Promise<void>;
  /** An agent's loop threw: a simulator bug, surfaced rather than swallowed. */
  crashed(error: unknown): void;
}
