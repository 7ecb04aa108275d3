// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ProverQuote} from "./RollupTypes.sol";
import {SignatureRecovery} from "../lib/SignatureRecovery.sol";

/// @notice EIP-712 for prover commitments (core/protocol/quoteTypedData.ts): the prover signs `ProverQuote`, the
///         block's winning sequencer signs `QuoteAcceptance` over the quote's struct hash. Domain version 2: a v1
///         quote (which named no body) can never verify here.
abstract contract QuoteSignatures {
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant PROVER_QUOTE_TYPEHASH = keccak256(
        "ProverQuote(uint256 blockNumber,uint64 slot,bytes32 bodyHash,address proverId,uint16 feeBps,uint256 bond,uint64 validUntil)"
    );
    bytes32 private constant QUOTE_ACCEPTANCE_TYPEHASH = keccak256("QuoteAcceptance(bytes32 quoteHash,address sequencer)");
    bytes32 private constant NAME_HASH = keccak256("ProverBurstRollup");
    bytes32 private constant VERSION_HASH = keccak256("2");

    uint256 private immutable _deployedChainId;
    bytes32 private immutable _deployedDomainSeparator;

    constructor() {
        _deployedChainId = block.chainid;
        _deployedDomainSeparator = _buildDomainSeparator();
    }

    function domainSeparator() public view returns (bytes32) {
        return block.chainid == _deployedChainId ? _deployedDomainSeparator : _buildDomainSeparator();
    }

    /// @notice The quote's EIP-712 struct hash: what the sequencer's QuoteAcceptance names.
    function quoteHash(ProverQuote calldata quote) public pure returns (bytes32) {
        return keccak256(
            abi.encode(
                PROVER_QUOTE_TYPEHASH,
                quote.blockNumber,
                quote.slot,
                quote.bodyHash,
                quote.proverId,
                quote.feeBps,
                quote.bond,
                quote.validUntil
            )
        );
    }

    function _quoteSigner(bytes32 structHash, bytes calldata signature) internal view returns (address) {
        return SignatureRecovery.recover(_typedDataDigest(structHash), signature);
    }

    function _acceptanceSigner(bytes32 quoteStructHash, address sequencer, bytes calldata signature)
        internal
        view
        returns (address)
    {
        bytes32 structHash = keccak256(abi.encode(QUOTE_ACCEPTANCE_TYPEHASH, quoteStructHash, sequencer));
        return SignatureRecovery.recover(_typedDataDigest(structHash), signature);
    }

    function _typedDataDigest(bytes32 structHash) private view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(), structHash));
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }
}
