// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IVerifier} from "../IVerifier.sol";
import {IHonkVerifier} from "./IHonkVerifier.sol";
import {RootPublicInputs, RootPublicInputsCodec} from "../../lib/RootPublicInputs.sol";

/// @title NoirTreeRootVerifier — the protocol's verifier for noir-tree root proofs: real UltraHonk proofs checked by a
///        Barretenberg-generated verifier.
/// @notice Lays the ABI-encoded RootPublicInputs out as the root circuit's eight public inputs — block number, prover
///         id, then the body hash and the parent and new state roots, each as (high, low) 128-bit halves — and asks the
///         Honk verifier. The proof is bound to all of them: a proof made for prover A does not verify for prover B.
///         Which SRS the Honk verifier pairs against is in its name and in `setup`; a development build accepts
///         proofs anyone can forge.
contract NoirTreeRootVerifier is IVerifier {
    /// @notice Emitted once, at deployment, so the chain records which circuit and setup this verifier accepts.
    event NoirTreeRootVerifierDeployed(address indexed honkVerifier, bytes32 rootVkHash, string setup);

    error HonkVerifierHasNoCode(address honkVerifier);

    IHonkVerifier public immutable honkVerifier;
    /// @notice The root circuit's verification-key hash: a prover checks its circuits against it before proving.
    bytes32 public immutable rootVkHash;
    string public setup;

    constructor(IHonkVerifier honkVerifier_, string memory setup_) {
        if (address(honkVerifier_).code.length == 0) revert HonkVerifierHasNoCode(address(honkVerifier_));
        honkVerifier = honkVerifier_;
        rootVkHash = honkVerifier_.vkHash();
        setup = setup_;
        emit NoirTreeRootVerifierDeployed(address(honkVerifier_), rootVkHash, setup_);
    }

    /// @inheritdoc IVerifier
    function verify(bytes calldata publicInputs, bytes calldata proof) external view returns (bool) {
        RootPublicInputs memory inputs = RootPublicInputsCodec.decode(publicInputs);
        // The circuit range-checks the block number to 64 bits; a larger one has no proof.
        if (inputs.blockNumber > type(uint64).max) return false;
        bytes32[] memory fields = new bytes32[](8);
        fields[0] = bytes32(inputs.blockNumber);
        fields[1] = bytes32(uint256(uint160(inputs.proverId)));
        (fields[2], fields[3]) = _halves(inputs.bodyHash);
        (fields[4], fields[5]) = _halves(inputs.parentStateRoot);
        (fields[6], fields[7]) = _halves(inputs.newStateRoot);
        try honkVerifier.verify(proof, fields) returns (bool accepted) {
            return accepted;
        } catch {
            return false;
        }
    }

    function _halves(bytes32 value) private pure returns (bytes32 high, bytes32 low) {
        high = value >> 128;
        low = bytes32(uint256(value) & type(uint128).max);
    }
}
