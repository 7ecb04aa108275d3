import type { ProvingRun } from '../ports/provingRun.js';
import { releaseCapacityIfIdle } from './releaseCapacityIfIdle.js';
import type { RunClosingDependencies } from './runDependencies.js';

/** The settle state: the proof is final on L1; the run is closed and idle capacity released. */
export async function settleRun(deps: RunClosingDependencies, runId: string): Promise<ProvingRun | null> {
  const run = await deps.store.transitionRun(runId, ['confirmed'], 'settled', {}, deps.clock.now());
  if (run) await releaseCapacityIfIdle(deps);
  return run;
}
