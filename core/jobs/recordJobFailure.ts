import type { BlockRunDriver } from '../ports/blockRunDriver.js';
import type { FailureRequest, JobStore } from '../ports/jobStore.js';
import type { Logger } from '../ports/logger.js';
import type { JobRuleSettings } from './jobRuleSettings.js';

export interface JobFailurePorts {
  readonly store: Pick<JobStore, 'recordFailure'>;
  readonly driver: Pick<BlockRunDriver, 'fail'>;
  readonly log: Logger;
}

/**
 * Counts the lease holder's failed attempt at a job; at `maxFailures` the job is failed for good and so is its run
 * (nothing can prove the root without it). The caller decides when the job is tried again.
 */
export async function recordJobFailure(
  ports: JobFailurePorts,
  failure: Omit<FailureRequest, 'maxFailures'> & { readonly kind: string },
  settings: Pick<JobRuleSettings, 'maxFailures'>,
): Promise<{ readonly failures: number; readonly exhausted: boolean }> {
  const { runId, jobId, kind, owner, error, now } = failure;
  const { failures, exhausted } = await ports.store.recordFailure({ runId, jobId, owner, error, now, maxFailures: settings.maxFailures });
  ports.log.warn('proof failed', { runId, jobId, kind, failures, exhausted, error });
  if (exhausted) await ports.driver.fail(runId, `job ${jobId} (${kind}) failed ${failures} times: ${error}`);
  return { failures, exhausted };
}
