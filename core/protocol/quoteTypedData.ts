import type { Address } from './types.js';

/**
 * EIP-712 shapes the rollup contract verifies: a prover signs `ProverQuote` (naming the block's slot and body hash, so
 * it covers exactly the body the prover checked); the winning sequencer countersigns `QuoteAcceptance` over the
 * quote's struct hash.
 */
export const QUOTE_EIP712_TYPES = {
  ProverQuote: [
    { name: 'blockNumber', type: 'uint256' },
    { name: 'slot', type: 'uint64' },
    { name: 'bodyHash', type: 'bytes32' },
    { name: 'proverId', type: 'address' },
    { name: 'feeBps', type: 'uint16' },
    { name: 'bond', type: 'uint256' },
    { name: 'validUntil', type: 'uint64' },
  ],
  QuoteAcceptance: [
    { name: 'quoteHash', type: 'bytes32' },
    { name: 'sequencer', type: 'address' },
  ],
} as const;

/** The EIP-712 domain of a deployed rollup (version 2: quotes name their body). */
export function quoteDomain(chainId: number, rollup: Address) {
  return { name: 'ProverBurstRollup', version: '2', chainId, verifyingContract: rollup } as const;
}
