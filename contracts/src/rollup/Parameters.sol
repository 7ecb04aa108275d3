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
    /// A committed prover alone may prove until the reveal phase's end plus this.
    uint32 exclusiveWindowSeconds;
    /// A block not proven by the reveal phase's end plus this is pruned.
    uint32 provingDeadlineSeconds;
    uint128 minSequencerStake;
    uint32 sequencerExitDelaySeconds;
    uint128 minProverBond;
    /// Longer than the proving deadline, so a prover cannot pull funds out from under a quote it signed.
    uint32 escrowWithdrawalDelaySeconds;
    uint32 maxTxsPerBlock;
    uint128 blockReward;
    uint128 feePerTx;
    uint16 sequencerBps;
    /// The prover's share when a block is proven in the open race.
    uint16 openRaceProverBps;
    /// Share of a slashed bond that is burnt; the rest goes to whoever proved the block.
    uint16 slashBurnBps;
    /// Fernet's score uses the randomness recorded this many slots back.
    uint32 randomnessLagSlots;
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

/// @notice Checks parameters once, at deployment; every rule names the values that break it.
library ParameterBounds {
    uint256 internal constant WHOLE_BPS = 10_000;
    /// Bounds the walk back through recorded randomness (see FernetRandomness).
    uint256 internal constant MAX_RANDOMNESS_LAG_SLOTS = 64;

    function check(Parameters memory p) internal pure {
        _nonZero("slotSeconds", p.slotSeconds);
        _nonZero("proposalSeconds", p.proposalSeconds);
        _nonZero("revealSeconds", p.revealSeconds);
        _nonZero("commitSeconds", p.commitSeconds);
        _nonZero("minSequencerStake", p.minSequencerStake);
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
        _bps("sequencerBps", p.sequencerBps);
        _bps("openRaceProverBps", p.openRaceProverBps);
        _bps("slashBurnBps", p.slashBurnBps);
        if (uint256(p.sequencerBps) + p.openRaceProverBps > WHOLE_BPS) {
            revert SharesAboveWhole(p.sequencerBps, p.openRaceProverBps);
        }
        if (p.randomnessLagSlots == 0 || p.randomnessLagSlots > MAX_RANDOMNESS_LAG_SLOTS) {
            revert RandomnessLagOutOfRange(p.randomnessLagSlots, MAX_RANDOMNESS_LAG_SLOTS);
        }
    }

    function _nonZero(string memory name, uint256 value) private pure {
        if (value == 0) revert ZeroParameter(name);
    }

    function _bps(string memory name, uint256 bps) private pure {
        if (bps > WHOLE_BPS) revert BpsAboveWhole(name, bps);
    }
}
