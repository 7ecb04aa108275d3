import { z } from 'zod';
import type { Address } from '../protocol/types.js';
import { quoteRequestSchema, type QuoteRequest } from '../protocol/quoteRequest.js';

/**
 * The EIP-712 shape a sequencer signs to ask a prover for a quote: the request itself, a fresh nonce (replay
 * protection) and an expiry. Its own domain name keeps a request signature from ever meaning anything on L1.
 */
export const QUOTE_REQUEST_EIP712_TYPES = {
  QuoteRequest: [
    { name: 'blockNumber', type: 'uint256' },
    { name: 'slot', type: 'uint256' },
    { name: 'bodyHash', type: 'bytes32' },
    { name: 'txCount', type: 'uint32' },
    { name: 'publicCalls', type: 'uint32' },
    { name: 'revealedAt', type: 'uint64' },
    { name: 'provingDeadline', type: 'uint64' },
    { name: 'nonce', type: 'bytes32' },
    { name: 'expiresAt', type: 'uint64' },
  ],
} as const;

/** The EIP-712 domain of quote requests for a deployed rollup. */
export function quoteRequestDomain(chainId: number, rollup: Address) {
  return { name: 'ProverBurstQuoteRequest', version: '1', chainId, verifyingContract: rollup } as const;
}

const hex = (bytes: number) => z.string().regex(new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`), `0x and ${bytes * 2} hex digits`);

/** A signed quote request on the wire (`POST /quote`, JSON). */
export const signedQuoteRequestSchema = z.object({
  request: quoteRequestSchema,
  /** The staked sequencer that signed it. */
  sequencer: hex(20),
  nonce: hex(32),
  /** Unix seconds; the signature is refused after it. */
  expiresAt: z.number().int().min(0),
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, 'a 65-byte ECDSA signature, 0x and 130 hex digits'),
});
export type SignedQuoteRequest = z.infer<typeof signedQuoteRequestSchema>;

/** The EIP-712 message of a signed request (uint fields as bigints). */
export function quoteRequestMessage(request: QuoteRequest, nonce: string, expiresAt: number) {
  return {
    blockNumber: BigInt(request.blockNumber),
    slot: BigInt(request.slot),
    bodyHash: request.bodyHash as `0x${string}`,
    txCount: request.txCount,
    publicCalls: request.publicCalls,
    revealedAt: BigInt(request.revealedAt),
    provingDeadline: BigInt(request.provingDeadline),
    nonce: nonce as `0x${string}`,
    expiresAt: BigInt(expiresAt),
  };
}
