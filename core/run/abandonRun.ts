import { ACTIVE_RUN_STATES, type ProvingRun } from '../ports/provingRun.js';
import { releaseCapacityIfIdle } from './releaseCapacityIfIdle.js';
import type { RunClosingDependencies } from './runDependencies.js';

/**
 * The abandon state: record why, release the agents if nothing else needs them. Jobs of the run still queued are
 * dropped by the agents that receive them.
 */
export async function abandonRun(deps: RunClosingDependencies, runId: string, reason: string): Promise<ProvingRun | null> {
  const run = await deps.store.transitionRun(runId, ACTIVE_RUN_STATES, 'abandoned', { stateReason: reason }, deps.clock.now());
  if (run) {
    deps.log.warn('abandoned block run', { runId, blockNumber: run.blockNumber, reason });
    await releaseCapacityIfIdle(deps);
  }
  return run;
}
