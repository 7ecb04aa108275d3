import { ProverBurstError } from '../core/errors/base.js';

/** Bad command-line input: printed as one line, exit code 2. */
export class UsageError extends ProverBurstError {
  override name = 'UsageError';
}

export const EXIT_USAGE = 2;
