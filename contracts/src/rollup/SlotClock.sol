// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Parameters, ParameterBounds} from "./Parameters.sol";

/// @notice Holds the parameters and turns L1 time into slots and phases. Slot s starts at
///         genesisTime + s * slotSeconds and runs proposal → reveal → commit, each phase half-open [start, end).
abstract contract SlotClock {
    enum Phase {
        Proposal,
        Reveal,
        Commit
    }

    error BeforeGenesis(uint256 timestamp, uint256 genesisTime);
    /// @notice A call that belongs to `phase` of `slot` came at `timestamp`, outside [start, end).
    error OutsidePhase(Phase phase, uint256 slot, uint256 timestamp, uint256 start, uint256 end);

    Parameters internal _params;

    constructor(Parameters memory parameters_) {
        ParameterBounds.check(parameters_);
        _params = parameters_;
    }

    /// @notice The protocol's parameters (see core/protocol/types.ts ProtocolParameters).
    function parameters() external view returns (Parameters memory) {
        return _params;
    }

    /// @notice The slot L1 time is in now.
    function currentSlot() public view returns (uint256) {
        uint256 genesis = _params.genesisTime;
        if (block.timestamp < genesis) revert BeforeGenesis(block.timestamp, genesis);
        return (block.timestamp - genesis) / _params.slotSeconds;
    }

    /// @notice Reverts unless L1 time is inside `phase` of `slot`.
    function _requirePhase(uint256 slot, Phase phase) internal view {
        (uint256 start, uint256 end) = _phaseWindow(slot, phase);
        if (block.timestamp < start || block.timestamp >= end) {
            revert OutsidePhase(phase, slot, block.timestamp, start, end);
        }
    }

    function _phaseWindow(uint256 slot, Phase phase) internal view returns (uint256 start, uint256 end) {
        Parameters storage p = _params;
        start = p.genesisTime + slot * p.slotSeconds;
        end = start + p.proposalSeconds;
        if (phase == Phase.Proposal) return (start, end);
        (start, end) = (end, end + p.revealSeconds);
        if (phase == Phase.Reveal) return (start, end);
        return (end, end + p.commitSeconds);
    }

    /// @notice When `slot`'s body is final: the time its exclusive window and proving deadline count from.
    function _revealPhaseEnd(uint256 slot) internal view returns (uint256) {
        (, uint256 end) = _phaseWindow(slot, Phase.Reveal);
        return end;
    }
}
