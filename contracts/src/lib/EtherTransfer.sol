// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @notice Sending ether to `to` failed (a contract that refuses it).
error TransferFailed(address to, uint256 amount);

/// @notice Sends ether with a plain call and names the failure.
library EtherTransfer {
    /// Forfeited bonds are sent here: visible on chain, spendable by nobody.
    address internal constant BURN_ADDRESS = 0x000000000000000000000000000000000000dEaD;

    function send(address to, uint256 amount) internal {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }

    function burn(uint256 amount) internal {
        send(BURN_ADDRESS, amount);
    }
}
