/**
 * The proof systems the protocol's VerifierRegistry can hold, each under its own version. A block's proof is checked
 * by the verifier of the version that is current when it is submitted (docs/real-proofs.md).
 */
export const PROOF_SYSTEMS = {
  'development-attestation': {
    version: 1,
    description: 'DevelopmentAttestationVerifier: an ECDSA attestation by the prover over the root public inputs — not a ZK proof',
  },
  'noir-tree-honk-development-srs': {
    version: 2,
    description: 'noir-tree UltraHonk root proofs, verified by bb\'s generated verifier against the DEVELOPMENT SRS (τ = 2: forgeable)',
  },
  'noir-tree-honk-ignition': {
    version: 3,
    description: "noir-tree UltraHonk root proofs, verified by bb's generated verifier against Aztec's Ignition SRS",
  },
} as const;

export type ProofSystem = keyof typeof PROOF_SYSTEMS;

/** What the development build's NoirTreeRootVerifier records on L1 about its setup. */
export const DEVELOPMENT_SRS_SETUP =
  'DEVELOPMENT SRS (tau = 2, known to everyone): anyone can forge a proof this verifier accepts. Devnet, tests and CI only.';
