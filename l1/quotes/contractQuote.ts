import type { QuoteTerms } from '../../core/protocol/types.js';

/** A quote's terms as the contract's ProverQuote struct and the EIP-712 message (slot and validUntil are uint64). */
export function contractQuote(terms: QuoteTerms) {
  return {
    blockNumber: terms.blockNumber,
    slot: terms.slot,
    bodyHash: terms.bodyHash,
    proverId: terms.proverId,
    feeBps: terms.feeBps,
    bond: terms.bond,
    validUntil: BigInt(terms.validUntil),
  } as const;
}
