// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

/// @notice A Barretenberg-generated UltraHonk verifier (bb write_solidity_verifier), as build:circuits shapes it.
interface IHonkVerifier {
    /// @notice Reverts with the failing step (SumcheckFailed, ShpleminiFailed, …) for a proof it rejects.
    function verify(bytes calldata proof, bytes32[] calldata publicInputs) external view returns (bool);

    /// @notice The hash of the verification key compiled into the verifier: which circuit, under which setup.
    function vkHash() external pure returns (bytes32);
}
