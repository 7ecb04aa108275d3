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

/** A structured reference string (SRS) that is missing, malformed or fails its digest check. */
export class SrsError extends ProverBurstError {
  override name = 'SrsError';
}

/** `bb` failed, timed out or wrote nothing; `details.stderr` holds the end of its output. */
export class BarretenbergError extends ProverBurstError {
  override name = 'BarretenbergError';
}

/** The Noir circuits failed to compile, or a circuit's inputs failed its constraints while generating the witness. */
export class NoirCircuitError extends ProverBurstError {
  override name = 'NoirCircuitError';
}

/** A proof this backend produced does not verify: never stored, the job is proven again. */
export class ProofVerificationError extends ProverBurstError {
  override name = 'ProofVerificationError';
}

/** The circuits on this machine are not the ones the L1 verifier was generated from. */
export class CircuitMismatchError extends ProverBurstError {
  override name = 'CircuitMismatchError';
}
