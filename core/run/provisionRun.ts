import type { ProvingRun } from '../ports/provingRun.js';
import { rescaleRuns } from './rescaleRuns.js';
import type { RunDependencies, RunSettings } from './runDependencies.js';

/** The provision state: size every tier for the new run (and the others still proving), then start proving. */
export async function provisionRun(deps: RunDependencies, settings: RunSettings, runId: string): Promise<ProvingRun | null> {
  await deps.store.transitionRun(runId, ['planned'], 'provisioning', {}, deps.clock.now());
  await rescaleRuns(deps, settings);
  return deps.store.transitionRun(runId, ['provisioning'], 'proving', { provingStartedAt: deps.clock.now() }, deps.clock.now());
}
