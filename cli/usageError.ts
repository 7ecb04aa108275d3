import { ProverBurstError, UnusableDirectoryError } from '../core/errors/index.js';

/** Bad command-line input: printed as one line, exit code 2. */
export class UsageError extends ProverBurstError {
  override name = 'UsageError';
}

/** Exit codes: bad input (the user can fix the command) and a failure of the environment (disk, ports, the L1). */
export const EXIT_USAGE = 2;
export const EXIT_FAILURE = 1;

/** Errors that say the command was given something it can never use. */
export function isBadInput(error: unknown): boolean {
  return error instanceof UsageError || error instanceof UnusableDirectoryError;
}

/** Runs `read`; a domain error it raises while reading flags is the user's input error (it keeps its name). */
export function asUsage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ProverBurstError) || isBadInput(error)) throw error;
    const usage = new UsageError(error.message, error.details);
    usage.name = error.name;
    throw usage;
  }
}
