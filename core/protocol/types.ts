/** A 20-byte L1 address. */
export type Address = `0x${string}`;
/** A 32-byte hash or root. */
export type Bytes32 = `0x${string}`;
/** Arbitrary hex-encoded bytes. */
export type HexBytes = `0x${string}`;

/**
 * The protocol's parameters, as the rollup contract's `parameters()` view returns them. Times are in seconds of
 * L1 time; amounts in wei; shares in basis points.
 */
export interface ProtocolParameters {
  /** L1 timestamp at which slot 0 starts. */
  readonly genesisTime: number;
  readonly slotSeconds: number;
  /** Each slot runs: proposal → reveal → prover commitment; these are the phase lengths from the slot start. */
  readonly proposalSeconds: number;
  readonly revealSeconds: number;
  readonly commitSeconds: number;
  /**
   * Once a block is provable (its reveal phase over and its parent proven), only the committed prover's proof is
   * accepted for this long.
   */
  readonly exclusiveWindowSeconds: number;
  /** A revealed block not proven this long after it became provable is pruned (with its descendants). */
  readonly provingDeadlineSeconds: number;
  readonly minSequencerStake: bigint;
  /** Locked from a sequencer's stake per revealed block; burnt when that block is the lowest one pruned. */
  readonly sequencerBlockBond: bigint;
  readonly sequencerExitDelaySeconds: number;
  /** Longer than the proving deadline, so a bond cannot escape a slash. */
  readonly escrowWithdrawalDelaySeconds: number;
  readonly maxTxsPerBlock: number;
  /** At most this many revealed, unproven blocks: bounds the work of one prune. */
  readonly maxPendingBlocks: number;
  readonly sequencerBps: number;
  /** The prover's share when a block is proven in the open race (no commitment, or after the window). */
  readonly openRaceProverBps: number;
  /** Fernet's score uses the randomness this many slots back. */
  readonly randomnessLagSlots: number;
  /** A commitment's bond is at least minProverBond + proverBondPerTx × txCount (see `requiredProverBond`). */
  readonly minProverBond: bigint;
  readonly proverBondPerTx: bigint;
  readonly blockReward: bigint;
  readonly feePerTx: bigint;
}

/** What the root proof commits to; the contract recomputes `hashPublicInputs` from its own state. */
export interface RootPublicInputs {
  readonly blockNumber: bigint;
  readonly proverId: Address;
  readonly bodyHash: Bytes32;
  readonly parentStateRoot: Bytes32;
  readonly newStateRoot: Bytes32;
}

/** Terms a prover offers a sequencer for proving one revealed body. */
export interface QuoteTerms {
  readonly blockNumber: bigint;
  /** The slot the block was revealed in and the hash of its body: the exact body the prover checked. */
  readonly slot: bigint;
  readonly bodyHash: Bytes32;
  readonly proverId: Address;
  /** The prover's share of the block's reward and fees if it proves within its exclusive window. */
  readonly feeBps: number;
  /** Locked from the prover's escrow at commitment; burnt if the window is missed. */
  readonly bond: bigint;
  /** L1 timestamp after which the quote cannot be committed. */
  readonly validUntil: number;
}

/** A quote with the prover's EIP-712 signature over it. */
export interface SignedQuote extends QuoteTerms {
  readonly proverSignature: HexBytes;
}
