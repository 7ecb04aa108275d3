// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @notice Recovers the signer of a 65-byte (r, s, v) secp256k1 signature.
library SignatureRecovery {
    /// Half the secp256k1 group order: a signature with a higher s is the malleable twin of one with a lower s.
    uint256 private constant HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    /// @return signer The signer of `digest`, or the zero address when `signature` is malformed or malleable.
    function recover(bytes32 digest, bytes calldata signature) internal pure returns (address signer) {
        if (signature.length != 65) return address(0);
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v < 27) v += 27;
        if (v != 27 && v != 28) return address(0);
        if (uint256(s) > HALF_ORDER) return address(0);
        return ecrecover(digest, v, r, s);
    }
}
