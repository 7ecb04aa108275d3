import { TIERS } from '../tiers.js';
import { ACTIVE_RUN_STATES } from '../ports/provingRun.js';
import type { RunClosingDependencies } from './runDependencies.js';

/**
 * When no run is left proving, every tier's target drops to zero: agents leave by themselves at their next check
 * (no Batch call), and an agent that does not is stopped by its idle exit. A run that starts meanwhile raises the
 * target again before the agents' leave grace is up, and they serve it.
 */
export async function releaseCapacityIfIdle(deps: Pick<RunClosingDependencies, 'store' | 'capacity' | 'targets' | 'clock'>): Promise<boolean> {
  const busy = await deps.store.listRuns(ACTIVE_RUN_STATES.filter((state) => state !== 'confirmed'));
  if (busy.length > 0) return false;
  const now = deps.clock.now();
  for (const tier of TIERS) {
    const [{ running, starting }, published] = await Promise.all([deps.capacity.count(tier), deps.targets.get(tier)]);
    const observed = running + starting;
    await deps.targets.put(tier, {
      agents: 0,
      observed,
      quotaAgents: published?.quotaAgents ?? 0,
      aboveSince: observed > 0 ? (published?.aboveSince ?? now) : null,
      work: [],
      publishedAt: now,
    });
  }
  return true;
}
