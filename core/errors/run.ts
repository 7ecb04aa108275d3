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

/** Lane splits (seconds of slack) that are not finite, non-negative and strictly ascending. */
export class InvalidLaneSplitsError extends ProverBurstError {
  override name = 'InvalidLaneSplitsError';
  constructor(readonly splits: readonly number[]) {
    super(`lane splits must be finite, non-negative seconds in strictly ascending order; got [${splits.join(', ')}]`, { splits });
  }
}
