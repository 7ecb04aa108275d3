import type { FleetTargets } from '../../core/ports/fleetTargets.js';
import type { BlockPlan } from '../../core/plan/blockPlan.js';
import type { ArtifactStore } from '../../core/ports/artifactStore.js';
import type { JobStore } from '../../core/ports/jobStore.js';
import type { ControlPlaneCounts } from '../world/controlPlaneMeter.js';
import type { EventLoop } from './eventLoop.js';
import type { Fleet } from '../world/fleet.js';
import type { SimModel } from '../model/model.js';
import type { ProofLedger } from './proofLedger.js';
import type { Synchronous } from '../../core/ports/synchronous.js';
import type { SimWorkQueue } from '../world/simWorkQueue.js';

/** Everything the agents of one simulated block share: simulated time, the modelled services and the record. */
export interface SimWorld {
  readonly loop: EventLoop;
  readonly model: SimModel;
  readonly plan: BlockPlan;
  /** The per-tier fleet targets the scaler publishes and agents read between jobs (answered at once). */
  readonly targets: Synchronous<FleetTargets>;
  /** The plan's job ids, by index (built once; job ids are what the store and queues key on). */
  readonly jobIds: readonly string[];
  readonly bodyDigest: string;
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
  /** The root proof exists (the driver's `rootProven`). */
  rootProven(digest: string): Promise<void>;
  /** A job failed for good (the driver's `fail`); the run cannot finish. */
  failed(reason: string): Promise<void>;
  /** An agent's loop threw: a simulator bug, surfaced rather than swallowed. */
  crashed(error: unknown): void;
}
