// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @notice Where a block number stands. A pruned number is reused by the next block revealed on the pending tip.
enum BlockStatus {
    Unknown,
    Revealed,
    Proven,
    Pruned
}

/// @notice A rollup block as the contract keeps it; `Rollup.blockState` returns it. Packed into six slots; L1 times and
///         L1 block numbers are uint40 (good until the year 36812).
struct RollupBlock {
    address sequencer;
    uint64 slot;
    /// Body length / 34: the contract checks the body is a whole number of txs, it does not parse them.
    uint32 txCount;
    bytes32 bodyHash;
    uint64 parentBlock;
    /// L1 timestamp of the (latest) reveal.
    uint40 revealedAt;
    /// Proofs are accepted while block.timestamp <= provingDeadline; after it the block can be pruned. Set to the
    /// reveal phase's end + provingDeadlineSeconds, and moved to the parent's proof + provingDeadlineSeconds when the
    /// parent is proven after the reveal phase: a block's clock runs only while it is provable.
    uint40 provingDeadline;
    /// Before this L1 timestamp only the committed prover may prove. Until a prover commits it is the end of the
    /// commit phase (nobody may prove while a commitment can still land); a commitment sets it to
    /// max(reveal phase end, parent's proof) + exclusiveWindowSeconds, and a later parent proof moves it the same way.
    uint40 exclusiveUntil;
    /// L1 timestamp of the proof, zero until proven.
    uint40 provenAt;
    address committedProver;
    uint16 feeBps;
    BlockStatus status;
    /// The proof-system version current when the block was revealed: its proof is checked by that version's verifier.
    uint32 proofSystemVersion;
    /// L1 block number of the (latest) reveal, so clients find its calldata without scanning history.
    uint40 revealL1Block;
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

/// @notice A prover's offer to prove one revealed body (EIP-712 `ProverQuote`, see core/protocol/quoteTypedData.ts):
///         the block number, its slot and its body hash together name exactly the body the prover checked.
struct ProverQuote {
    uint256 blockNumber;
    uint64 slot;
    bytes32 bodyHash;
    address proverId;
    uint16 feeBps;
    uint256 bond;
    uint64 validUntil;
}
