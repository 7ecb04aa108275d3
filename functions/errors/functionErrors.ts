import { ProverBurstError } from '../../core/errors/base.js';

/** The quote API's KMS key is not the prover id's: its signatures would not bind the prover id on L1. */
export class ProverIdMismatchError extends ProverBurstError {
  override name = 'ProverIdMismatchError';
  constructor(
    readonly proverId: string,
    readonly signer: string,
  ) {
    super(`PROVER_ID is ${proverId} but the KMS key signs as ${signer}`, { proverId, signer });
  }
}
