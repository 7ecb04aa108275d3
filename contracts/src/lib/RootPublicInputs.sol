// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @notice What a root proof commits to (core/protocol/publicInputs.ts): binding the prover id and the body hash
///         means a proof cannot be replayed for another prover or another body.
struct RootPublicInputs {
    uint256 blockNumber;
    address proverId;
    bytes32 bodyHash;
    bytes32 parentStateRoot;
    bytes32 newStateRoot;
}

/// @notice Public inputs that are not exactly the 160-byte ABI encoding of RootPublicInputs.
error PublicInputsLength(uint256 length);

/// @notice Reads the ABI-encoded root public inputs.
library RootPublicInputsCodec {
    uint256 internal constant ENCODED_LENGTH = 160;

    function decode(bytes calldata encoded) internal pure returns (RootPublicInputs memory) {
        if (encoded.length != ENCODED_LENGTH) revert PublicInputsLength(encoded.length);
        return abi.decode(encoded, (RootPublicInputs));
    }
}
