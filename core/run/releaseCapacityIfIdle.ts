import { TIERS } from '../tiers.js';
import { ACTIVE_RUN_STATES } from '../ports/provingRun.js';
import type { RunClosingDependencies } from './runDependencies.js';

/** When no run is left proving, every agent is told to stop (they would also stop once idle). */
export async function releaseCapacityIfIdle(deps: Pick<RunClosingDependencies, 'store' | 'capacity'>): Promise<boolean> {
  const busy = await deps.store.listRuns(ACTIVE_RUN_STATES.filter((state) => state !== 'confirmed'));
  if (busy.length > 0) return false;
  for (const tier of TIERS) {
    const { running, starting } = await deps.capacity.count(tier);
    if (running + starting > 0) await deps.capacity.stop(tier, running + starting);
  }
  return true;
}
