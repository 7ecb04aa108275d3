// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {SlotClock} from "./SlotClock.sol";
import {EtherTransfer} from "../lib/EtherTransfer.sol";

/// @notice Fernet's sequencer set: stake at least minSequencerStake to propose; leaving takes
///         sequencerExitDelaySeconds, during which the sequencer can no longer propose. Each block a sequencer reveals
///         locks sequencerBlockBond of its stake until the block is proven, replaced or pruned; the bond is burnt when
///         the block is the lowest one pruned (it was never proven, or was shown malformed).
abstract contract SequencerStaking is SlotClock {
    struct SequencerStake {
        uint128 amount;
        /// Zero while active; else when the stake can be withdrawn.
        uint64 exitableAt;
        /// Revealed blocks of this sequencer not yet settled; each locks sequencerBlockBond of `amount`.
        uint32 lockedBlocks;
    }

    event SequencerRegistered(address indexed sequencer, uint256 stake);
    event SequencerExitInitiated(address indexed sequencer, uint256 exitableAt);
    event SequencerStakeWithdrawn(address indexed sequencer, uint256 amount);
    event SequencerBondForfeited(uint256 indexed blockNumber, address indexed sequencer, uint256 amount);

    error StakeBelowMinimum(address sequencer, uint256 stake, uint256 minimum);
    error SequencerExiting(address sequencer, uint256 exitableAt);
    error NotAnActiveSequencer(address account);
    error ExitNotInitiated(address sequencer);
    error ExitDelayNotOver(address sequencer, uint256 exitableAt, uint256 timestamp);
    /// @notice The stake cannot back one more block bond.
    error StakeCannotBackBlockBond(address sequencer, uint256 stake, uint256 lockedAfterReveal);
    /// @notice The sequencer still has revealed blocks awaiting proof; their bonds keep the stake in place.
    error StakeLocked(address sequencer, uint256 lockedBlocks);

    mapping(address sequencer => SequencerStake) private _stakes;

    /// @notice Adds msg.value to the caller's stake; the total must reach minSequencerStake.
    function registerSequencer() external payable {
        SequencerStake storage stake = _stakes[msg.sender];
        if (stake.exitableAt != 0) revert SequencerExiting(msg.sender, stake.exitableAt);
        uint256 total = stake.amount + msg.value;
        if (total < _params.minSequencerStake) revert StakeBelowMinimum(msg.sender, total, _params.minSequencerStake);
        stake.amount = uint128(total);
        emit SequencerRegistered(msg.sender, total);
    }

    function initiateSequencerExit() external {
        if (!isActiveSequencer(msg.sender)) revert NotAnActiveSequencer(msg.sender);
        uint64 exitableAt = uint64(block.timestamp) + _params.sequencerExitDelaySeconds;
        _stakes[msg.sender].exitableAt = exitableAt;
        emit SequencerExitInitiated(msg.sender, exitableAt);
    }

    function withdrawSequencerStake() external {
        SequencerStake memory stake = _stakes[msg.sender];
        if (stake.exitableAt == 0) revert ExitNotInitiated(msg.sender);
        if (block.timestamp < stake.exitableAt) revert ExitDelayNotOver(msg.sender, stake.exitableAt, block.timestamp);
        if (stake.lockedBlocks != 0) revert StakeLocked(msg.sender, stake.lockedBlocks);
        delete _stakes[msg.sender];
        emit SequencerStakeWithdrawn(msg.sender, stake.amount);
        EtherTransfer.send(msg.sender, stake.amount);
    }

    function sequencerStake(address sequencer) external view returns (SequencerStake memory) {
        return _stakes[sequencer];
    }

    function isActiveSequencer(address account) public view returns (bool) {
        SequencerStake storage stake = _stakes[account];
        return stake.exitableAt == 0 && stake.amount >= _params.minSequencerStake;
    }

    /// @dev A reveal locks one block bond of the revealing sequencer's stake.
    function _lockBlockBond(address sequencer) internal {
        SequencerStake storage stake = _stakes[sequencer];
        uint256 locked = (uint256(stake.lockedBlocks) + 1) * _params.sequencerBlockBond;
        if (locked > stake.amount) revert StakeCannotBackBlockBond(sequencer, stake.amount, locked);
        stake.lockedBlocks += 1;
    }

    /// @dev The block was proven, replaced by a higher-scoring reveal, or pruned above the block at fault.
    function _releaseBlockBond(address sequencer) internal {
        _stakes[sequencer].lockedBlocks -= 1;
    }

    /// @dev The block was the lowest one pruned: its bond leaves the stake, to be burnt by the caller (nobody gains
    ///      from a prune). Returns the amount.
    function _forfeitBlockBond(uint256 blockNumber, address sequencer) internal returns (uint256 bond) {
        SequencerStake storage stake = _stakes[sequencer];
        bond = _params.sequencerBlockBond;
        stake.lockedBlocks -= 1;
        stake.amount -= uint128(bond);
        emit SequencerBondForfeited(blockNumber, sequencer, bond);
    }
}
