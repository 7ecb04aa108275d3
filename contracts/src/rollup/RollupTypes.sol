// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @notice Where a block number stands. A pruned number is reused by the next block revealed on the proven tip.
enum BlockStatus {
    Unknown,
    Revealed,
    Proven,
    Pruned
}

/// @notice A rollup block as the contract keeps it; `Rollup.blockState` returns it. Packed into six slots.
struct RollupBlock {
    address sequencer;
    uint64 slot;
    /// Body length / 34 (rounded down): the contract never parses the body, it only makes it available.
    uint32 txCount;
    bytes32 bodyHash;
    uint64 parentBlock;
    /// L1 timestamp of the (latest) reveal.
    uint64 revealedAt;
    /// Proofs are accepted while block.timestamp <= provingDeadline; after it the block can be pruned.
    uint64 provingDeadline;
    /// Before this L1 timestamp only the committed prover may prove. Until a prover commits it is the end of the
    /// commit phase (nobody may prove while a commitment can still land); a commitment moves it to
    /// the reveal phase's end + exclusiveWindowSeconds.
    uint64 exclusiveUntil;
    address committedProver;
    uint16 feeBps;
    BlockStatus status;
    /// L1 block number of the (latest) reveal, so clients find its calldata without scanning history.
    uint64 revealL1Block;
    address provenBy;
    uint96 bond;
    /// The state root after this block, once proven.
    bytes32 stateRoot;
}

/// @notice A sequencer's proposal for a slot. Its score is recomputed when needed, not stored: the lagged randomness
///         of a slot cannot change once the slot has begun.
struct Proposal {
    bytes32 bodyHash;
    uint64 parentBlock;
}

/// @notice A prover's offer to prove one block (EIP-712 `ProverQuote`, see core/protocol/quoteTypedData.ts).
struct ProverQuote {
    uint256 blockNumber;
    address proverId;
    uint16 feeBps;
    uint256 bond;
    uint64 validUntil;
}
