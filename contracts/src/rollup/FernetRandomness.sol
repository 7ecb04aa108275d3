// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @notice Fernet's ranking. The first proposal of each slot records fresh randomness (prevrandao and the previous
///         blockhash, chained to the last record); a slot's proposals are ranked with the randomness recorded at or
///         before `lag` slots earlier, which was fixed before the slot began and so cannot be ground within it.
abstract contract FernetRandomness {
    struct RandomnessRecord {
        bytes32 value;
        /// The slot of the record before this one, so the lagged lookup can walk back over slots nobody used.
        uint64 previousSlot;
    }

    event RandomnessRecorded(uint256 indexed slot, bytes32 randomness);

    mapping(uint256 slot => RandomnessRecord) private _records;
    uint64 private _latestRecordedSlot;

    /// @param seed Recorded as slot 0's randomness, so every lookup finds a record.
    constructor(bytes32 seed) {
        _records[0] = RandomnessRecord(seed, 0);
        emit RandomnessRecorded(0, seed);
    }

    /// @notice A proposal's score in `slot`; the highest revealed score wins the slot. The one ranking function:
    ///         a VRF (the private-key variant of Fernet) replaces this body without touching anything else.
    function _score(address sequencer, uint256 slot, uint256 lagSlots) internal view returns (bytes32) {
        return keccak256(abi.encode(sequencer, slot, _laggedRandomness(slot, lagSlots)));
    }

    /// @notice Records the current slot's randomness if this is the slot's first use.
    function _recordRandomness(uint256 slot) internal {
        uint256 latest = _latestRecordedSlot;
        if (slot <= latest) return;
        bytes32 value =
            keccak256(abi.encode(_records[latest].value, block.prevrandao, blockhash(block.number - 1), slot));
        _records[slot] = RandomnessRecord(value, uint64(latest));
        _latestRecordedSlot = uint64(slot);
        emit RandomnessRecorded(slot, value);
    }

    /// @dev Called for the current slot only: records newer than `slot - lagSlots` are then at most lagSlots + 1,
    ///      which bounds the walk (lagSlots is capped by ParameterBounds).
    function _laggedRandomness(uint256 slot, uint256 lagSlots) private view returns (bytes32) {
        uint256 target = slot > lagSlots ? slot - lagSlots : 0;
        uint256 cursor = _latestRecordedSlot;
        while (cursor > target) cursor = _records[cursor].previousSlot;
        return _records[cursor].value;
    }
}
