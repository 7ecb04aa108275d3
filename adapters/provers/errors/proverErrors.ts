import { ProverBurstError } from '../../../core/errors/base.js';

/** A job's inputs lack what its circuit needs (a profile that is not noir-tree, or a plan from another version). */
export class NoirTreeInputError extends ProverBurstError {
  override name = 'NoirTreeInputError';
}

/** Bytes that are not a noir-tree child proof artifact. */
export class MalformedProofArtifactError extends ProverBurstError {
  override name = 'MalformedProofArtifactError';
}

/** The external prover exited badly, timed out or wrote no proof. */
export class CommandProverError extends ProverBurstError {
  override name = 'CommandProverError';
}

/** A failure the simulated backend injected on purpose. */
export class SimulatedProverFailure extends ProverBurstError {
  override name = 'SimulatedProverFailure';
}
