import type { Tier } from '../tiers.js';
import { scaleCapacity } from '../scale/scaleCapacity.js';
import type { TierDecision } from '../scale/sizeFleet.js';
import type { RunDependencies, RunSettings } from './runDependencies.js';

/** A scaling tick over every run that is provisioning or proving. */
export async function rescaleRuns(deps: RunDependencies, settings: RunSettings): Promise<Record<Tier, TierDecision>> {
  const active = await deps.store.listRuns(['provisioning', 'proving']);
  const l1Seconds = await deps.chain.latestTimestamp();
  return scaleCapacity(
    deps,
    settings.scaling,
    active.map((run) => ({ run, doneJobs: null })),
    { wallMs: deps.clock.now(), l1Seconds },
  );
}
