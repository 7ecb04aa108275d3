// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @notice The protocol's parameters: one struct, fixed at deployment, readable through `Rollup.parameters()`.
/// @dev Fields and meaning follow `ProtocolParameters` in core/protocol/types.ts. Times are seconds of L1 time,
///      amounts are wei, shares are basis points. The timing fields share one storage slot, so the slot clock
///      costs one read.
struct Parameters {
    /// L1 timestamp at which slot 0 starts.
    uint64 genesisTime;
    uint32 slotSeconds;
    /// Phase lengths from the slot start: proposal, then reveal, then prover commitment.
    uint32 proposalSeconds;
    uint32 revealSeconds;
    uint32 commitSeconds;
    /// A committed prover alone may prove for this long once its block is provable: from the reveal phase's end, or
    /// from its parent's proof if that came later.
    uint32 exclusiveWindowSeconds;
    /// A block not proven this long after it became provable (same start as the window) is pruned.
    uint32 provingDeadlineSeconds;
    uint128 minSequencerStake;
    /// Locked from the sequencer's stake for each block it reveals; burnt when that block is the lowest one pruned.
    uint128 sequencerBlockBond;
    uint32 sequencerExitDelaySeconds;
    /// Longer than the proving deadline, so a prover cannot pull funds out from under a quote it signed.
    uint32 escrowWithdrawalDelaySeconds;
    uint32 maxTxsPerBlock;
    /// At most this many revealed, unproven blocks at once: bounds the work (and gas) of one prune.
    uint32 maxPendingBlocks;
    uint16 sequencerBps;
    /// The prover's share when a block is proven in the open race.
    uint16 openRaceProverBps;
    /// Fernet's score uses the randomness recorded this many slots back.
    uint32 randomnessLagSlots;
    /// A commitment's bond is at least minProverBond + proverBondPerTx × txCount (see ParameterBounds: proving late
    /// never pays more than proving in the window).
    uint128 minProverBond;
    uint128 proverBondPerTx;
    uint128 blockReward;
    uint128 feePerTx;
}

/// @notice A time or amount parameter that must not be zero is zero.
error ZeroParameter(string name);
/// @notice Proposal, reveal and commit phases do not fit in one slot.
error PhasesExceedSlot(uint256 phasesSeconds, uint256 slotSeconds);
/// @notice The exclusive window would end before the commit phase does, leaving a late committer no exclusivity.
error ExclusiveWindowNotAfterCommitPhase(uint256 exclusiveWindowSeconds, uint256 commitSeconds);
/// @notice The proving deadline would leave no open race after the exclusive window.
error DeadlineNotAfterExclusiveWindow(uint256 provingDeadlineSeconds, uint256 exclusiveWindowSeconds);
/// @notice Escrow withdrawals would be faster than the proving deadline, so a bond could escape its quote.
error EscrowDelayNotAfterDeadline(uint256 escrowWithdrawalDelaySeconds, uint256 provingDeadlineSeconds);
/// @notice A share is above 10,000 basis points.
error BpsAboveWhole(string name, uint256 bps);
/// @notice The sequencer's and the open-race prover's shares add up to more than the whole.
error SharesAboveWhole(uint256 sequencerBps, uint256 openRaceProverBps);
/// @notice The randomness lag is zero (the score would be grindable in its own slot) or above the supported maximum.
error RandomnessLagOutOfRange(uint256 randomnessLagSlots, uint256 maxLagSlots);
/// @notice The minimum stake could not back a single block bond.
error StakeBelowBlockBond(uint256 minSequencerStake, uint256 sequencerBlockBond);
/// @notice The pending-chain cap is above the most one prune may handle, or below the blocks revealed within one
///         proving deadline (so it would throttle a chain whose blocks are all proven in time).
error PendingCapOutOfRange(uint256 maxPendingBlocks, uint256 minimum, uint256 maximum);
/// @notice At `txCount` txs the open-race share of a block's reward exceeds the smallest bond a commitment may carry:
///         a committed prover would earn more proving after its window (under a second id) than inside it.
error LateProvingPaysMore(uint256 txCount, uint256 lateReward, uint256 bond);

/// @notice Checks parameters once, at deployment; every rule names the values that break it.
library ParameterBounds {
    uint256 internal constant WHOLE_BPS = 10_000;
    /// Bounds the walk back through recorded randomness (see FernetRandomness).
    uint256 internal constant MAX_RANDOMNESS_LAG_SLOTS = 64;
    /// A prune settles at most this many blocks: about 17 k gas each, 4.3 M gas for 256 committed blocks
    /// (bench/results/gas.json, pruneFullChain256).
    uint256 internal constant MAX_PENDING_BLOCKS = 256;

    function check(Parameters memory p) internal pure {
        _nonZero("slotSeconds", p.slotSeconds);
        _nonZero("proposalSeconds", p.proposalSeconds);
        _nonZero("revealSeconds", p.revealSeconds);
        _nonZero("commitSeconds", p.commitSeconds);
        _nonZero("minSequencerStake", p.minSequencerStake);
        _nonZero("sequencerBlockBond", p.sequencerBlockBond);
        _nonZero("minProverBond", p.minProverBond);
        _nonZero("maxTxsPerBlock", p.maxTxsPerBlock);
        uint256 phases = uint256(p.proposalSeconds) + p.revealSeconds + p.commitSeconds;
        if (phases > p.slotSeconds) revert PhasesExceedSlot(phases, p.slotSeconds);
        if (p.exclusiveWindowSeconds <= p.commitSeconds) {
            revert ExclusiveWindowNotAfterCommitPhase(p.exclusiveWindowSeconds, p.commitSeconds);
        }
        if (p.provingDeadlineSeconds <= p.exclusiveWindowSeconds) {
            revert DeadlineNotAfterExclusiveWindow(p.provingDeadlineSeconds, p.exclusiveWindowSeconds);
        }
        if (p.escrowWithdrawalDelaySeconds <= p.provingDeadlineSeconds) {
            revert EscrowDelayNotAfterDeadline(p.escrowWithdrawalDelaySeconds, p.provingDeadlineSeconds);
        }
        if (p.minSequencerStake < p.sequencerBlockBond) revert StakeBelowBlockBond(p.minSequencerStake, p.sequencerBlockBond);
        uint256 minPending = (uint256(p.provingDeadlineSeconds) + p.slotSeconds - 1) / p.slotSeconds;
        if (p.maxPendingBlocks < minPending || p.maxPendingBlocks > MAX_PENDING_BLOCKS) {
            revert PendingCapOutOfRange(p.maxPendingBlocks, minPending, MAX_PENDING_BLOCKS);
        }
        _bps("sequencerBps", p.sequencerBps);
        _bps("openRaceProverBps", p.openRaceProverBps);
        if (uint256(p.sequencerBps) + p.openRaceProverBps > WHOLE_BPS) {
            revert SharesAboveWhole(p.sequencerBps, p.openRaceProverBps);
        }
        if (p.randomnessLagSlots == 0 || p.randomnessLagSlots > MAX_RANDOMNESS_LAG_SLOTS) {
            revert RandomnessLagOutOfRange(p.randomnessLagSlots, MAX_RANDOMNESS_LAG_SLOTS);
        }
        // Both sides are affine in the tx count, so holding at the smallest and the largest block holds everywhere.
        _lateProvingPaysNoMore(p, 1);
        _lateProvingPaysNoMore(p, p.maxTxsPerBlock);
    }

    /// @notice The smallest bond a commitment to a block of `txCount` txs may carry.
    function requiredProverBond(Parameters storage p, uint256 txCount) internal view returns (uint256) {
        return uint256(p.minProverBond) + uint256(p.proverBondPerTx) * txCount;
    }

    /// @dev A committed prover that misses its window loses its whole bond (burnt) and can at most win the open-race
    ///      share back, under any id: that share must not exceed the bond, so the late path nets at most zero, never
    ///      more than the quoted fee (≥ 0) paid inside the window. The compute cost is the same on both paths.
    function _lateProvingPaysNoMore(Parameters memory p, uint256 txCount) private pure {
        uint256 lateReward = (uint256(p.blockReward) + uint256(p.feePerTx) * txCount) * p.openRaceProverBps / WHOLE_BPS;
        uint256 bond = uint256(p.minProverBond) + uint256(p.proverBondPerTx) * txCount;
        if (lateReward > bond) revert LateProvingPaysMore(txCount, lateReward, bond);
    }

    function _nonZero(string memory name, uint256 value) private pure {
        if (value == 0) revert ZeroParameter(name);
    }

    function _bps(string memory name, uint256 bps) private pure {
        if (bps > WHOLE_BPS) revert BpsAboveWhole(name, bps);
    }
}
