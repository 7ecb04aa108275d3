import { createMemoryFleetTargets, createSyncFleetTargets } from '../../adapters/embedded/memoryFleetTargets.js';
import type { ArtifactStore } from '../../core/ports/artifactStore.js';
import type { Clock } from '../../core/ports/clock.js';
import type { FleetTargets } from '../../core/ports/fleetTargets.js';
import { laneSettings } from '../../core/jobs/urgency.js';
import type { JobStore } from '../../core/ports/jobStore.js';
import { silentLogger, type Logger } from '../../core/ports/logger.js';
import type { Synchronous } from '../../core/ports/synchronous.js';
import type { WorkQueue } from '../../core/ports/workQueue.js';
import type { RunContexts } from '../../core/run/runContexts.js';
import { createRunDependencies, type RunDependencies } from '../../core/run/runDependencies.js';
import type { SimModel } from '../model/model.js';
import { hashText } from '../model/stableHash.js';
import { emptyControlPlaneCounts, type ControlPlaneCounts } from '../world/controlPlaneMeter.js';
import { delayedPort } from '../world/delayedPort.js';
import type { Fleet } from '../world/fleet.js';
import { createSimArtifacts, simArtifactPort } from '../world/simArtifacts.js';
import { createSimJobStore } from '../world/simJobStore.js';
import { simQueuePort } from '../world/simQueuePort.js';
import { createSimWorkQueue, type SimWorkQueue } from '../world/simWorkQueue.js';
import { virtualClock } from '../world/virtualClock.js';
import { EventLoop } from './eventLoop.js';
import { ProofLedger } from './proofLedger.js';
import { WHOLE_TIME, type AccountingWindow } from '../world/accountingWindow.js';
import { recordingCompletions, chainAt } from './runWiring.js';
import type { SimWorld } from './simWorld.js';

/** The simulated AWS services of one simulation, before any agent runs: time, the store, the queues, S3, the targets, the meters. */
export interface SimServices {
  readonly loop: EventLoop;
  readonly counts: ControlPlaneCounts;
  readonly ledger: ProofLedger;
  readonly store: Synchronous<JobStore>;
  readonly queue: SimWorkQueue;
  readonly artifacts: Synchronous<ArtifactStore>;
  readonly targets: Synchronous<FleetTargets>;
  readonly clock: Clock;
  /** The ports as the driver and the scaler call them: every request answered at once, on simulated time. */
  readonly ports: { readonly store: JobStore; readonly queue: WorkQueue; readonly artifacts: ArtifactStore };
}

/**
 * Fresh services; `audit` keeps the ledger's per-job records for the simulator's invariant tests; `accounting` is the
 * time whose proof time the ledger's per-agent records count (all of it by default).
 */
export function createSimServices(model: SimModel, audit = false, accounting: AccountingWindow = WHOLE_TIME): SimServices {
  const loop = new EventLoop();
  const counts = emptyControlPlaneCounts();
  const ledger = new ProofLedger(audit, () => loop.now, accounting);
  const store = recordingCompletions(createSimJobStore(counts), ledger, loop);
  const queue = createSimWorkQueue(loop, model.queue.maxReceiveCount, counts, laneSettings(model.queue.lanes));
  const artifacts = createSimArtifacts(counts);
  const clock = virtualClock(loop);
  const ports = { store: delayedPort(store), queue: simQueuePort(queue, clock), artifacts: simArtifactPort(artifacts, noWait, noWait) };
  return { loop, counts, ledger, store, queue, artifacts, targets: createSyncFleetTargets(), clock, ports };
}

/** What a simulation adds to its services to make the agents' world: the runs they prove and what ends them. */
export type SimWorldHooks = Pick<SimWorld, 'fleet' | 'runOf' | 'rootProven' | 'failed' | 'crashed'>;

/** The world every agent of one simulation shares, seeded by `seed`. */
export function createSimWorld(services: SimServices, model: SimModel, seed: string, hooks: SimWorldHooks): SimWorld {
  const { loop, targets, store, queue, artifacts, counts, ledger } = services;
  return { loop, model, targets, seed, seedKey: hashText(seed), store, queue, artifacts, counts, attempts: new Map(), ledger, ...hooks };
}

/**
 * The block runs' dependencies over the services (core's `createRunDependencies`): the scaler sees `fleet` and reads
 * L1 time as simulated time; `runs` share the simulation's plans; state roots are not modelled.
 */
export function simRunDependencies(services: SimServices, fleet: Fleet, runs: RunContexts, log: Logger = silentLogger): RunDependencies {
  const { ports, loop, clock, targets } = services;
  return createRunDependencies(
    {
      ...ports,
      capacity: fleet,
      targets: createMemoryFleetTargets(targets),
      chain: chainAt(() => loop.now),
      clock,
      log,
      stateRoots: async () => {
        throw new Error('state roots are not modelled');
      },
    },
    runs,
  );
}

function noWait(): Promise<void> {
  return Promise.resolve();
}
