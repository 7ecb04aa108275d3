import type { Hex } from 'viem';

/**
 * The KZG setup bb proves and verifies with: powers of a secret τ on BN254's G1 (`bn254_g1.dat`, 64 bytes a point:
 * x then y, big-endian) and τ·G2.
 */
export interface StructuredReferenceString {
  /**
   * `ignition`: the genuine points of Aztec's Ignition ceremony (production). `development`: τ = 2, known to everyone,
   * so anyone can forge proofs against it — for the devnet, tests and CI only, never mixed with the genuine one.
   */
  readonly kind: 'ignition' | 'development';
  /** The directory bb reads through `--crs_path`. */
  readonly directory: string;
  readonly points: number;
  /** sha256 of `bn254_g1.dat`, checked when the SRS was made or fetched. */
  readonly g1Sha256: string;
  /** τ·G2 in the order the EIP-197 pairing precompile reads it (x.c1, x.c0, y.c1, y.c0): what a Solidity verifier pairs with. */
  readonly g2: readonly [Hex, Hex, Hex, Hex];
  /** The bb binary that verifies proofs against this SRS's τ·G2 (bb's own for Ignition; a development build otherwise). */
  readonly verifierBinary: string;
}

/** Points bb needs for the noir-tree circuits, the largest of which (merge, root) is 2^21 gates. */
export const NOIR_TREE_SRS_POINTS = 2 ** 21 + 1;

/** Ignition's τ·G2 as bb and its `bn254_g2.dat` store it (x.c0, x.c1, y.c0, y.c1, big-endian): compiled into bb. */
export const IGNITION_G2_FILE =
  '0118c4d5b837bcc2bc89b5b398b5974e9f5944073b32078b7e231fec938883b0' +
  '260e01b251f6f1c7e7ff4e580791dee8ea51d87a358e038b4efe30fac09383c1' +
  '22febda3c0c0632a56475b4214e5615e11e6dd3f96e6cea2854a87d4dacc5e55' +
  '04fc6369f7110fe3d25156c1bb9a72859cf2a04641f99ba4ee413c80da6a5fe4';

/** A `bn254_g2.dat` (x.c0, x.c1, y.c0, y.c1) in EIP-197 order (x.c1, x.c0, y.c1, y.c0). */
export function g2InPrecompileOrder(g2File: Uint8Array): readonly [Hex, Hex, Hex, Hex] {
  const word = (i: number): Hex => `0x${Buffer.from(g2File.subarray(32 * i, 32 * i + 32)).toString('hex')}`;
  return [word(1), word(0), word(3), word(2)];
}
