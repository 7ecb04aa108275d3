// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IVerifier} from "./IVerifier.sol";

/// @notice Which verifier checks root proofs, keyed by proof-system version. Governance proposes a new version; it can
///         be activated only after `activationDelaySeconds` (which the rollup requires to outlast escrow withdrawals and
///         sequencer exits, so anyone who objects can leave first) and before `activationWindowSeconds` more have
///         passed (a forgotten proposal cannot be sprung later); governance can cancel it until then. A version, once
///         active, stays registered: the rollup verifies each block with the version it was revealed under.
contract VerifierRegistry {
    struct PendingVerifier {
        IVerifier verifier;
        uint64 activatableAt;
    }

    event VerifierProposed(uint32 indexed version, address indexed verifier, uint256 activatableAt, uint256 expiresAt);
    event VerifierCancelled(uint32 indexed version, address indexed verifier);
    event VerifierActivated(uint32 indexed version, address indexed verifier);

    error NotGovernance(address caller, address governance);
    error ZeroGovernance();
    error ZeroActivationDelay();
    error ZeroActivationWindow();
    error VerifierHasNoCode(address verifier);
    error VersionNotAfterCurrent(uint32 version, uint32 currentVersion);
    error NoPendingVerifier(uint32 version);
    error ActivationDelayNotOver(uint32 version, uint256 activatableAt, uint256 timestamp);
    error ProposalExpired(uint32 version, uint256 expiredAt, uint256 timestamp);

    address public immutable governance;
    uint32 public immutable activationDelaySeconds;
    uint32 public immutable activationWindowSeconds;

    uint32 private _currentVersion;
    mapping(uint32 version => IVerifier) private _verifiers;
    mapping(uint32 version => PendingVerifier) private _pending;

    /// @param initialVerifier Active at once: a new deployment has no users to warn.
    constructor(
        address governance_,
        uint32 activationDelaySeconds_,
        uint32 activationWindowSeconds_,
        uint32 initialVersion,
        IVerifier initialVerifier
    ) {
        if (governance_ == address(0)) revert ZeroGovernance();
        if (activationDelaySeconds_ == 0) revert ZeroActivationDelay();
        if (activationWindowSeconds_ == 0) revert ZeroActivationWindow();
        _requireCode(initialVerifier);
        governance = governance_;
        activationDelaySeconds = activationDelaySeconds_;
        activationWindowSeconds = activationWindowSeconds_;
        _activate(initialVersion, initialVerifier);
    }

    /// @notice Starts the delay after which `verifier` may become the verifier for `version`.
    function proposeVerifier(uint32 version, IVerifier verifier) external {
        _requireGovernance();
        if (version <= _currentVersion) revert VersionNotAfterCurrent(version, _currentVersion);
        _requireCode(verifier);
        uint64 activatableAt = uint64(block.timestamp) + activationDelaySeconds;
        _pending[version] = PendingVerifier(verifier, activatableAt);
        emit VerifierProposed(version, address(verifier), activatableAt, uint256(activatableAt) + activationWindowSeconds);
    }

    /// @notice Withdraws a proposal that has not been activated.
    function cancelVerifier(uint32 version) external {
        _requireGovernance();
        IVerifier verifier = _pending[version].verifier;
        if (address(verifier) == address(0)) revert NoPendingVerifier(version);
        delete _pending[version];
        emit VerifierCancelled(version, address(verifier));
    }

    /// @notice Makes a proposed version current once its delay is over and before its activation window closes.
    function activateVerifier(uint32 version) external {
        _requireGovernance();
        PendingVerifier memory pending = _pending[version];
        if (address(pending.verifier) == address(0)) revert NoPendingVerifier(version);
        if (block.timestamp < pending.activatableAt) {
            revert ActivationDelayNotOver(version, pending.activatableAt, block.timestamp);
        }
        uint256 expiresAt = uint256(pending.activatableAt) + activationWindowSeconds;
        if (block.timestamp >= expiresAt) revert ProposalExpired(version, expiresAt, block.timestamp);
        if (version <= _currentVersion) revert VersionNotAfterCurrent(version, _currentVersion);
        delete _pending[version];
        _activate(version, pending.verifier);
    }

    /// @notice The version blocks revealed now are recorded under.
    function currentVersion() external view returns (uint32) {
        return _currentVersion;
    }

    /// @notice The version root proofs of new blocks are checked under now, and its verifier.
    function currentVerifier() external view returns (uint32 version, IVerifier verifier) {
        return (_currentVersion, _verifiers[_currentVersion]);
    }

    /// @notice The verifier of an activated version (zero for a version never activated).
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
