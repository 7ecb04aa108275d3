import { ProverBurstError } from '../core/errors/base.js';

/** Bad command-line input: printed as one line, exit code 2. */
export class UsageError extends ProverBurstError {
  override name = 'UsageError';
}

export const EXIT_USAGE = 2;

/** Runs `read`; a domain error it raises while reading flags is the user's input error. */
export function asUsage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ProverBurstError) throw new UsageError(error.message, error.details);
    throw error;
  }
}
