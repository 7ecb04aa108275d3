// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IVerifier} from "./IVerifier.sol";

/// @notice Which verifier checks root proofs, keyed by proof-system version. Governance proposes a new version and
///         can activate it only after `activationDelaySeconds`, so everyone sees a change of cryptography coming.
contract VerifierRegistry {
    struct PendingVerifier {
        IVerifier verifier;
        uint64 activatableAt;
    }

    event VerifierProposed(uint32 indexed version, address indexed verifier, uint256 activatableAt);
    event VerifierActivated(uint32 indexed version, address indexed verifier);

    error NotGovernance(address caller, address governance);
    error ZeroActivationDelay();
    error VerifierHasNoCode(address verifier);
    error VersionNotAfterCurrent(uint32 version, uint32 currentVersion);
    error NoPendingVerifier(uint32 version);
    error ActivationDelayNotOver(uint32 version, uint256 activatableAt, uint256 timestamp);

    address public immutable governance;
    uint32 public immutable activationDelaySeconds;

    uint32 private _currentVersion;
    mapping(uint32 version => IVerifier) private _verifiers;
    mapping(uint32 version => PendingVerifier) private _pending;

    /// @param initialVerifier Active at once: a new deployment has no users to warn.
    constructor(address governance_, uint32 activationDelaySeconds_, uint32 initialVersion, IVerifier initialVerifier) {
        if (activationDelaySeconds_ == 0) revert ZeroActivationDelay();
        _requireCode(initialVerifier);
        governance = governance_;
        activationDelaySeconds = activationDelaySeconds_;
        _activate(initialVersion, initialVerifier);
    }

    /// @notice Starts the delay after which `verifier` may become the verifier for `version`.
    function proposeVerifier(uint32 version, IVerifier verifier) external {
        _requireGovernance();
        if (version <= _currentVersion) revert VersionNotAfterCurrent(version, _currentVersion);
        _requireCode(verifier);
        uint64 activatableAt = uint64(block.timestamp) + activationDelaySeconds;
        _pending[version] = PendingVerifier(verifier, activatableAt);
        emit VerifierProposed(version, address(verifier), activatableAt);
    }

    /// @notice Makes a proposed version current once its delay is over.
    function activateVerifier(uint32 version) external {
        _requireGovernance();
        PendingVerifier memory pending = _pending[version];
        if (address(pending.verifier) == address(0)) revert NoPendingVerifier(version);
        if (block.timestamp < pending.activatableAt) {
            revert ActivationDelayNotOver(version, pending.activatableAt, block.timestamp);
        }
        if (version <= _currentVersion) revert VersionNotAfterCurrent(version, _currentVersion);
        delete _pending[version];
        _activate(version, pending.verifier);
    }

    /// @notice The version root proofs are checked under now, and its verifier.
    function currentVerifier() external view returns (uint32 version, IVerifier verifier) {
        return (_currentVersion, _verifiers[_currentVersion]);
    }

    function verifierOf(uint32 version) external view returns (IVerifier) {
        return _verifiers[version];
    }

    function pendingVerifier(uint32 version) external view returns (PendingVerifier memory) {
        return _pending[version];
    }

    function _activate(uint32 version, IVerifier verifier) private {
        _currentVersion = version;
        _verifiers[version] = verifier;
        emit VerifierActivated(version, address(verifier));
    }

    function _requireGovernance() private view {
        if (msg.sender != governance) revert NotGovernance(msg.sender, governance);
    }

    function _requireCode(IVerifier verifier) private view {
        if (address(verifier).code.length == 0) revert VerifierHasNoCode(address(verifier));
    }
}
