// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IVerifier} from "./IVerifier.sol";
import {SignatureRecovery} from "../lib/SignatureRecovery.sol";
import {RootPublicInputs, RootPublicInputsCodec} from "../lib/RootPublicInputs.sol";

/// @title DevelopmentAttestationVerifier — a DEVELOPMENT verifier; it is NOT a zero-knowledge verifier.
/// @notice Accepts as "proof" the prover's own ECDSA signature over the public inputs: an EIP-191 signature by
///         `proverId` over keccak256(publicInputs). It attests who claims the block and proves nothing about the
///         block's execution. It exists so the devnet and tests can run the whole protocol without a proving
///         system; never register it where the rollup's state has value.
contract DevelopmentAttestationVerifier is IVerifier {
    /// @notice Emitted once, at deployment, so the chain itself records that this verifier is for development only.
    event DevelopmentVerifierDeployed(string warning);

    constructor() {
        emit DevelopmentVerifierDeployed(
            "DevelopmentAttestationVerifier: checks an ECDSA attestation by the prover; not a zero-knowledge verifier"
        );
    }

    /// @inheritdoc IVerifier
    function verify(bytes calldata publicInputs, bytes calldata proof) external pure returns (bool) {
        RootPublicInputs memory inputs = RootPublicInputsCodec.decode(publicInputs);
        if (inputs.proverId == address(0)) return false;
        bytes32 digest = keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", keccak256(publicInputs)));
        return SignatureRecovery.recover(digest, proof) == inputs.proverId;
    }
}
