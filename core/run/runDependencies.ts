import { createRunContexts, type RunContexts, type RunContextsParameters } from './runContexts.js';
import type { AgentCapacity } from '../ports/agentCapacity.js';
import type { ArtifactStore } from '../ports/artifactStore.js';
import type { FleetTargets } from '../ports/fleetTargets.js';
import type { Clock } from '../ports/clock.js';
import type { JobStore } from '../ports/jobStore.js';
import type { RollupChain } from '../ports/l1.js';
import type { Logger } from '../ports/logger.js';
import type { StateRootOracle } from '../ports/stateRoots.js';
import type { WorkQueue } from '../ports/workQueue.js';
import type { Address } from '../protocol/types.js';
import type { ScalingSettings } from '../scale/scalingSettings.js';
import { createScalerMemory, type ScalerMemory } from '../scale/scalerMemory.js';

/** The ports a block run talks to. */
export interface RunDependencies {
  readonly store: JobStore;
  readonly queue: WorkQueue;
  readonly artifacts: ArtifactStore;
  readonly capacity: AgentCapacity;
  readonly chain: RollupChain;
  readonly clock: Clock;
  readonly log: Logger;
  readonly runs: RunContexts;
  readonly stateRoots: StateRootOracle;
  /** The per-tier fleet targets the scaler publishes and agents read between jobs. */
  readonly targets: FleetTargets;
  /** What the scaler keeps across ticks (plan shapes and pacing per live run). */
  readonly scaler: ScalerMemory;
}

/** What ending a run needs: record it, and release agents nobody needs any more. */
export type RunClosingDependencies = Pick<RunDependencies, 'store' | 'capacity' | 'targets' | 'clock' | 'log'>;

/** What reviving a run needs: the store to read from, the queue to refill, the plan to walk. */
export type RunRevivingDependencies = Pick<RunDependencies, 'store' | 'queue' | 'runs' | 'clock' | 'log'>;

/** A firm's settings for its block runs. */
export interface RunSettings {
  readonly proverId: Address;
  readonly profile: string;
  /** A cap below the profile's maximum block size, if the firm refuses bigger blocks. */
  readonly maxTxs: number;
  readonly confirmations: number;
  readonly scaling: ScalingSettings;
  /** How often a proving run re-scales and checks its deadline. */
  readonly rescaleMs: number;
  /** How long to wait before trying a submission again (parent unproven, exclusive window of another prover). */
  readonly submitRetryMs: number;
}

/** The ports a block run is built from; `createRunDependencies` adds the run contexts and the scaler's state. */
export type RunPorts = Omit<RunDependencies, 'runs' | 'scaler'>;

/** How the run contexts cache: a run record is re-read after `runTtlMs`; `maxPlans` plans are kept. */
export type RunContextsCache = Pick<RunContextsParameters, 'runTtlMs' | 'maxPlans'>;

/**
 * A block run's dependencies, assembled the same way by the devnet, the Lambdas, the simulator and the test
 * harnesses: the ports, run contexts over them (`createRunContexts`, unless the caller brings its own, as the
 * simulator does with its one shared plan), and fresh scaler state.
 */
export function createRunDependencies<P extends RunPorts>(ports: P, runs: RunContexts | RunContextsCache): P & Pick<RunDependencies, 'runs' | 'scaler'> {
  return {
    ...ports,
    runs: 'get' in runs ? runs : createRunContexts({ store: ports.store, artifacts: ports.artifacts, clock: ports.clock, ...runs }),
    scaler: createScalerMemory(),
  };
}
