import type { RootPublicInputs } from '../protocol/types.js';
import type { Tier } from '../tiers.js';

export interface ProofRequest {
  readonly runId: string;
  readonly jobId: string;
  readonly kind: string;
  readonly tier: Tier;
  /** The job's expected duration under its circuit profile. */
  readonly expectedSeconds: number;
  /** The children's proofs, in input order. */
  readonly childProofs: readonly Uint8Array[];
  /** Per-job inputs from the plan (tx hash, call index, tree position, …) as JSON-friendly values. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Set for the root job: what its proof must bind. */
  readonly rootPublicInputs?: RootPublicInputs;
  readonly signal: AbortSignal;
}

/** Produces proofs. For the root job the bytes are what `submitProof` sends to L1. */
export interface ProverBackend {
  readonly name: string;
  /** True when the backend fakes proofs (the devnet's simulated backend); shown wherever it runs. */
  readonly simulated: boolean;
  prove(request: ProofRequest): Promise<Uint8Array>;
}
