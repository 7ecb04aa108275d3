import { bytesToHex } from 'viem';
import type { QuoteRequest } from '../../core/protocol/quoteRequest.js';
import { QUOTE_REQUEST_EIP712_TYPES, quoteRequestDomain, quoteRequestMessage, type SignedQuoteRequest } from '../../core/quote/quoteRequestSignature.js';
import type { L1WalletClient } from '../transactions/l1Clients.js';
import type { QuoteDomain } from './quoteSignatures.js';

/**
 * A quote request signed by a sequencer (EIP-712 QuoteRequest), with a fresh random nonce and an expiry: what a
 * prover's public quote endpoint admits from a staked sequencer (core/quote/authenticateQuoteRequest.ts).
 */
export async function signQuoteRequest(
  sequencer: L1WalletClient,
  domain: QuoteDomain,
  request: QuoteRequest,
  options: { readonly expiresAt: number; readonly nonce?: string },
): Promise<SignedQuoteRequest> {
  const nonce = options.nonce ?? bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
  const signature = await sequencer.signTypedData({
    account: sequencer.account,
    domain: quoteRequestDomain(domain.chainId, domain.rollup),
    types: QUOTE_REQUEST_EIP712_TYPES,
    primaryType: 'QuoteRequest',
    message: quoteRequestMessage(request, nonce, options.expiresAt),
  });
  return { request, sequencer: sequencer.account.address, nonce, expiresAt: options.expiresAt, signature };
}
