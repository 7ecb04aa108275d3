import type { Logger } from '../ports/logger.js';
import type { QuoteRequest } from '../protocol/quoteRequest.js';
import type { HexBytes, ProtocolParameters, QuoteTerms, SignedQuote } from '../protocol/types.js';
import { priceQuote } from './priceQuote.js';
import type { QuoteSettings } from './quoteSettings.js';

/** Signs quote terms as the prover (EIP-712 `ProverQuote`); a local key on the devnet, KMS in the cloud. */
export type QuoteSigner = (terms: QuoteTerms) => Promise<HexBytes>;

export type QuoteAnswer = { readonly quote: SignedQuote } | { readonly refused: string };

/**
 * Reads the revealed body and says why it cannot be proven (hash mismatch, malformed, over our limits), or null.
 * Quoting a block we cannot prove would cost the bond.
 */
export type BodyCheck = (request: QuoteRequest) => Promise<string | null>;

/** The quote endpoint's logic: check the revealed body, price the block, sign the terms, or say why not. */
export async function answerQuoteRequest(
  request: QuoteRequest,
  deps: {
    readonly parameters: ProtocolParameters;
    readonly sign: QuoteSigner;
    readonly checkBody: BodyCheck;
    readonly log: Logger;
    readonly nowSeconds: number;
  },
  settings: QuoteSettings,
): Promise<QuoteAnswer> {
  const unprovable = await deps.checkBody(request);
  if (unprovable !== null) {
    deps.log.warn('declined to quote an unprovable body', { blockNumber: request.blockNumber, why: unprovable });
    return { refused: `the revealed body cannot be proven: ${unprovable}` };
  }
  const decision = priceQuote(request, deps.parameters, settings, deps.nowSeconds);
  if (!decision.quote) {
    deps.log.info('declined to quote', { blockNumber: request.blockNumber, why: decision.why });
    return { refused: decision.why };
  }
  const proverSignature = await deps.sign(decision.terms);
  deps.log.info('quoted', { blockNumber: request.blockNumber, feeBps: decision.terms.feeBps, bond: decision.terms.bond });
  return { quote: { ...decision.terms, proverSignature } };
}
