// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {EtherTransfer} from "../lib/EtherTransfer.sol";

/// @notice Holds provers' funds for bonds. A prover deposits, the rollup locks a bond when a quote is committed and
///         releases or burns it when the block is settled. Withdrawals wait `withdrawalDelaySeconds`, which the
///         rollup requires to be longer than its proving deadline; until a withdrawal executes, the requested funds
///         can still be locked, so every quote a prover signed before asking to withdraw can still be honoured.
contract ProverEscrow {
    struct ProverAccount {
        uint256 balance;
        /// Part of `balance` backing committed bonds; never withdrawable.
        uint256 locked;
        uint256 withdrawalAmount;
        uint64 withdrawableAt;
    }

    /// Slashed funds that are burnt go here: visible on chain, spendable by nobody.
    address public constant BURN_ADDRESS = EtherTransfer.BURN_ADDRESS;

    event RollupBound(address indexed rollup);
    event Deposited(address indexed prover, uint256 amount, uint256 balance);
    event WithdrawalInitiated(address indexed prover, uint256 amount, uint256 withdrawableAt);
    event Withdrawn(address indexed prover, uint256 amount);
    event BondLocked(address indexed prover, uint256 amount);
    event BondReleased(address indexed prover, uint256 amount);
    /// @notice A forfeited bond, sent to BURN_ADDRESS whole: nobody, the party that caused the forfeit included, is paid.
    event BondSlashed(address indexed prover, uint256 amount);

    error NotDeployer(address caller);
    error ZeroRollup();
    error RollupAlreadyBound(address rollup);
    error NotRollup(address caller, address rollup);
    error ZeroAmount();
    error InsufficientUnlockedBalance(address prover, uint256 unlocked, uint256 requested);
    error NoWithdrawalPending(address prover);
    error WithdrawalDelayNotOver(address prover, uint256 withdrawableAt, uint256 timestamp);

    uint32 public immutable withdrawalDelaySeconds;
    address private immutable _deployer;
    address public rollup;
    mapping(address prover => ProverAccount) private _accounts;

    constructor(uint32 withdrawalDelaySeconds_) {
        withdrawalDelaySeconds = withdrawalDelaySeconds_;
        _deployer = msg.sender;
    }

    /// @notice Names the rollup allowed to lock, release and slash bonds; once, by the deployer. (The rollup needs the
    ///         escrow's address at construction, so the escrow learns the rollup's afterwards.)
    function bindRollup(address rollup_) external {
        if (msg.sender != _deployer) revert NotDeployer(msg.sender);
        if (rollup != address(0)) revert RollupAlreadyBound(rollup);
        if (rollup_ == address(0)) revert ZeroRollup();
        rollup = rollup_;
        emit RollupBound(rollup_);
    }

    function deposit() external payable {
        if (msg.value == 0) revert ZeroAmount();
        ProverAccount storage account = _accounts[msg.sender];
        account.balance += msg.value;
        emit Deposited(msg.sender, msg.value, account.balance);
    }

    /// @notice Asks to withdraw `amount` after the delay; replaces any earlier request and restarts the delay.
    function initiateWithdrawal(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        ProverAccount storage account = _accounts[msg.sender];
        uint256 unlocked = account.balance - account.locked;
        if (amount > unlocked) revert InsufficientUnlockedBalance(msg.sender, unlocked, amount);
        uint64 withdrawableAt = uint64(block.timestamp) + withdrawalDelaySeconds;
        account.withdrawalAmount = amount;
        account.withdrawableAt = withdrawableAt;
        emit WithdrawalInitiated(msg.sender, amount, withdrawableAt);
    }

    /// @notice Pays out the pending withdrawal once its delay is over and the funds are not backing a bond.
    function withdraw() external {
        ProverAccount storage account = _accounts[msg.sender];
        uint256 amount = account.withdrawalAmount;
        if (amount == 0) revert NoWithdrawalPending(msg.sender);
        if (block.timestamp < account.withdrawableAt) {
            revert WithdrawalDelayNotOver(msg.sender, account.withdrawableAt, block.timestamp);
        }
        uint256 unlocked = account.balance - account.locked;
        if (amount > unlocked) revert InsufficientUnlockedBalance(msg.sender, unlocked, amount);
        account.balance -= amount;
        account.withdrawalAmount = 0;
        account.withdrawableAt = 0;
        emit Withdrawn(msg.sender, amount);
        EtherTransfer.send(msg.sender, amount);
    }

    function lockBond(address prover, uint256 amount) external {
        _requireRollup();
        ProverAccount storage account = _accounts[prover];
        uint256 unlocked = account.balance - account.locked;
        if (amount > unlocked) revert InsufficientUnlockedBalance(prover, unlocked, amount);
        account.locked += amount;
        emit BondLocked(prover, amount);
    }

    function releaseBond(address prover, uint256 amount) external {
        _requireRollup();
        _accounts[prover].locked -= amount;
        emit BondReleased(prover, amount);
    }

    /// @notice Takes a locked bond and burns it.
    function slashBond(address prover, uint256 amount) external {
        _requireRollup();
        ProverAccount storage account = _accounts[prover];
        account.locked -= amount;
        account.balance -= amount;
        emit BondSlashed(prover, amount);
        EtherTransfer.burn(amount);
    }

    function accountOf(address prover) external view returns (ProverAccount memory) {
        return _accounts[prover];
    }

    /// @notice What a new bond could lock right now.
    function unlockedBalanceOf(address prover) external view returns (uint256) {
        ProverAccount storage account = _accounts[prover];
        return account.balance - account.locked;
    }

    function _requireRollup() private view {
        if (msg.sender != rollup || rollup == address(0)) revert NotRollup(msg.sender, rollup);
    }
}
