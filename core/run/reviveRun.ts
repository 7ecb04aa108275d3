import type { BlockRunRequest } from '../ports/blockRunDriver.js';
import type { ProvingRun } from '../ports/provingRun.js';
import { enqueueReadyJobs } from '../jobs/enqueueReadyJobs.js';
import { runDue } from '../jobs/urgency.js';
import type { RunRevivingDependencies } from './runDependencies.js';

/** The reason prefix an orphaned reveal's run is abandoned with; only such runs can be revived. */
export const ORPHANED_REVEAL = 'the reveal was orphaned by an L1 reorg';

/**
 * The same body was revealed again after the run was stopped for an orphaned reveal: the run goes back to
 * planned under the new reveal, and only the proofs it lacks are enqueued (finished ones are reused), their latest
 * starts on the deployment's time scale (`secondsPerExpectedSecond`).
 */
export async function reviveRun(
  deps: RunRevivingDependencies,
  request: BlockRunRequest,
  run: ProvingRun,
  secondsPerExpectedSecond: number,
): Promise<ProvingRun | null> {
  if (run.state !== 'abandoned' || !run.stateReason.startsWith(ORPHANED_REVEAL) || run.bodyHash !== request.bodyHash) {
    return null;
  }
  const revived = await deps.store.transitionRun(
    run.runId,
    ['abandoned'],
    'planned',
    { stateReason: '', revealedIn: request.revealedIn },
    deps.clock.now(),
  );
  if (!revived) return null;
  const enqueued = await enqueueReadyJobs(deps.store, deps.queue, (await deps.runs.get(run.runId)).plan, runDue(revived, secondsPerExpectedSecond));
  deps.log.info('revived block run after a reorg re-revealed its body', { runId: run.runId, enqueued });
  return revived;
}
