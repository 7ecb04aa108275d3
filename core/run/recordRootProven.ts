import type { JobStore } from '../ports/jobStore.js';
import type { ProvingRun } from '../ports/provingRun.js';

/** The root proof exists: the run leaves proving for submission (a repeat is a no-op that returns null). */
export function recordRootProven(store: JobStore, runId: string, rootDigest: string, now: number): Promise<ProvingRun | null> {
  return store.transitionRun(runId, ['provisioning', 'proving'], 'submitting', { rootDigest, rootProvenAt: now }, now);
}
