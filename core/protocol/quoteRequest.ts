import { z } from 'zod';
import type { SignedQuote } from './types.js';

const hex = (bytes: number) => z.string().regex(new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`));
const uint = z.string().regex(/^\d+$/, 'a decimal integer string');

/** What a sequencer sends a prover's quote endpoint (`POST /quote`, JSON). */
export const quoteRequestSchema = z.object({
  blockNumber: uint,
  slot: uint,
  bodyHash: hex(32),
  txCount: z.number().int().min(1),
  /** Sum of public calls over the block's txs (drives the heavy-tier cost). */
  publicCalls: z.number().int().min(0),
  revealedAt: z.number().int().min(0),
  provingDeadline: z.number().int().min(0),
});
export type QuoteRequest = z.infer<typeof quoteRequestSchema>;

/** A signed quote on the wire: bigints as decimal strings. It names the slot and body hash it was signed for. */
export const signedQuoteSchema = z.object({
  blockNumber: uint,
  slot: uint,
  bodyHash: hex(32),
  proverId: hex(20),
  feeBps: z.number().int().min(0).max(10_000),
  bond: uint,
  validUntil: z.number().int().min(0),
  proverSignature: z.string().regex(/^0x[0-9a-fA-F]+$/),
});
export type SignedQuoteWire = z.infer<typeof signedQuoteSchema>;

export function signedQuoteToWire(quote: SignedQuote): SignedQuoteWire {
  return { ...quote, blockNumber: quote.blockNumber.toString(), slot: quote.slot.toString(), bond: quote.bond.toString() };
}

export function signedQuoteFromWire(wire: SignedQuoteWire): SignedQuote {
  return {
    blockNumber: BigInt(wire.blockNumber),
    slot: BigInt(wire.slot),
    bodyHash: wire.bodyHash as SignedQuote['bodyHash'],
    proverId: wire.proverId as SignedQuote['proverId'],
    feeBps: wire.feeBps,
    bond: BigInt(wire.bond),
    validUntil: wire.validUntil,
    proverSignature: wire.proverSignature as SignedQuote['proverSignature'],
  };
}
