import { ProverBurstError } from './base.js';

/** A circuit profile name nobody registered. */
export class UnknownCircuitProfileError extends ProverBurstError {
  override name = 'UnknownCircuitProfileError';
  constructor(
    readonly profile: string,
    readonly known: readonly string[],
  ) {
    super(`unknown circuit profile "${profile}"; known profiles: ${known.join(', ')}`, { profile, known });
  }
}

/** A public-call specification that is neither a count nor a distribution like `0:0.5,1:0.3,4:0.2`. */
export class InvalidPublicCallSpecError extends ProverBurstError {
  override name = 'InvalidPublicCallSpecError';
  constructor(
    readonly spec: string,
    readonly reason: string,
  ) {
    super(`invalid public-call spec "${spec}": ${reason}`, { spec, reason });
  }
}

/** Durations given for a kind of job the profile does not have, or that are not positive. */
export class InvalidProofDurationsError extends ProverBurstError {
  override name = 'InvalidProofDurationsError';
}
