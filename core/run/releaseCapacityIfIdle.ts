import { TIERS } from '../tiers.js';
import { ACTIVE_RUN_STATES } from '../ports/provingRun.js';
import { leaveCounts } from '../scale/sizeFleet.js';
import type { RunClosingDependencies } from './runDependencies.js';

/**
 * When no run is left proving, every tier's target drops to zero: agents leave by themselves once the leave grace
 * has passed (no Batch call), and an agent that does not is stopped by its idle exit. The zero replaces only the
 * target read before counting: one a run published meanwhile (it started while the agents were counted) stands.
 * The grace counts from now, so a run that starts within it raises the target again and the agents serve it.
 */
export async function releaseCapacityIfIdle(deps: Pick<RunClosingDependencies, 'store' | 'capacity' | 'targets' | 'clock'>): Promise<boolean> {
  const busy = await deps.store.listRuns(ACTIVE_RUN_STATES.filter((state) => state !== 'confirmed'));
  if (busy.length > 0) return false;
  for (const tier of TIERS) {
    const published = await deps.targets.get(tier);
    const { running, starting } = await deps.capacity.count(tier);
    const observed = running + starting;
    const now = deps.clock.now();
    await deps.targets.put(
      tier,
      {
        agents: 0,
        observed,
        running,
        ...leaveCounts(published, now, {}),
        quotaAgents: published?.quotaAgents ?? 0,
        aboveSince: observed > 0 ? now : null,
        work: [],
        publishedAt: now,
      },
      { ifPublishedAt: published?.publishedAt ?? null },
    );
  }
  return true;
}
