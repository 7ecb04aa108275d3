import type { ProvingRun, RunState } from '../ports/provingRun.js';

/** Run states whose jobs are still worth proving; a job of a run that moved on (submitting, abandoned…) is dropped. */
export const PROVABLE_RUN_STATES: readonly RunState[] = ['planned', 'provisioning', 'proving'];

/** Whether a delivered job of `run` is still worth proving. */
export function isProvable(run: Pick<ProvingRun, 'state'>): boolean {
  return PROVABLE_RUN_STATES.includes(run.state);
}
