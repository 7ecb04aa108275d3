import { ProverBurstError } from './base.js';

/** A run id nobody created. */
export class UnknownRunError extends ProverBurstError {
  override name = 'UnknownRunError';
  constructor(readonly runId: string) {
    super(`no proving run "${runId}"`, { runId });
  }
}

/** A job message that does not point at a job of its run's plan. */
export class UnknownJobError extends ProverBurstError {
  override name = 'UnknownJobError';
  constructor(
    readonly runId: string,
    readonly jobId: string,
    readonly jobIndex: number,
  ) {
    super(`run ${runId} has no job ${jobId} at index ${jobIndex}`, { runId, jobId, jobIndex });
  }
}
