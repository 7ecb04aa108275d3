// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @notice Checks a root proof against its ABI-encoded public inputs (RootPublicInputs). One implementation per
///         proof-system version; the VerifierRegistry says which is current.
interface IVerifier {
    /// @return accepted Whether `proof` proves `publicInputs`. A verifier returns false for a bad proof rather than
    ///         reverting, so the rollup can name the rejection.
    function verify(bytes calldata publicInputs, bytes calldata proof) external view returns (bool accepted);
}
