import { ProverBurstError } from './base.js';

/** A stored scaler memory record that is not JSON, or not the shape its version says. */
export class MalformedScalerMemoryError extends ProverBurstError {
  override name = 'MalformedScalerMemoryError';
  constructor(
    readonly reason: string,
    readonly value: unknown,
  ) {
    super(`the stored scaler memory is malformed: ${reason}`, { reason, value });
  }
}

/** A stored scaler memory record of a version this build does not read (a newer scaler wrote it). */
export class UnknownScalerMemoryVersionError extends ProverBurstError {
  override name = 'UnknownScalerMemoryVersionError';
  constructor(
    readonly version: unknown,
    readonly known: number,
  ) {
    super(`the stored scaler memory has version ${String(version)}; this scaler reads version ${known}`, { version, known });
  }
}

/** A scaler memory record bigger than one stored item may hold. */
export class ScalerMemoryTooLargeError extends ProverBurstError {
  override name = 'ScalerMemoryTooLargeError';
  constructor(
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`the scaler memory record is ${bytes} bytes, more than the ${maxBytes} one stored item may hold`, { bytes, maxBytes });
  }
}
