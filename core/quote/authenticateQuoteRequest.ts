import { recoverTypedDataAddress } from 'viem';
import type { QuoteRequestLedger, SequencerStakes } from '../ports/quoteRequests.js';
import type { QuoteRequest } from '../protocol/quoteRequest.js';
import type { Address } from '../protocol/types.js';
import { QUOTE_REQUEST_EIP712_TYPES, quoteRequestDomain, quoteRequestMessage, type SignedQuoteRequest } from './quoteRequestSignature.js';

/** How the quote endpoint admits signed requests. */
export interface QuoteRequestPolicy {
  /** A signature may be valid this long at most: the ledger remembers a nonce until then. */
  readonly maxValiditySeconds: number;
  /** Requests a sequencer may make per window (a slot's winner asks each firm once per block). */
  readonly perSequencerLimit: number;
  readonly windowSeconds: number;
}

/** Two minutes of validity; 30 requests a minute per sequencer, far above the one per block (12 s slots) it needs. */
export const DEFAULT_QUOTE_REQUEST_POLICY: QuoteRequestPolicy = { maxValiditySeconds: 120, perSequencerLimit: 30, windowSeconds: 60 };

/** Why a signed request is refused, and the HTTP status that says so. */
export type QuoteRequestRefusal =
  | { readonly kind: 'bad-signature'; readonly status: 401; readonly why: string }
  | { readonly kind: 'expired'; readonly status: 401; readonly why: string }
  | { readonly kind: 'not-staked'; readonly status: 403; readonly why: string }
  | { readonly kind: 'replayed'; readonly status: 409; readonly why: string }
  | { readonly kind: 'throttled'; readonly status: 429; readonly why: string };

export type QuoteRequestAuthentication =
  | { readonly admitted: true; readonly request: QuoteRequest; readonly sequencer: Address }
  | { readonly admitted: false; readonly refusal: QuoteRequestRefusal };

export interface AuthenticateQuoteRequestDependencies {
  readonly chainId: number;
  readonly rollup: Address;
  /** L1 time (the latest block's timestamp), which the sequencer signs its expiry against too. */
  readonly nowSeconds: number;
  readonly stakes: SequencerStakes;
  readonly ledger: QuoteRequestLedger;
}

/**
 * Admits a quote request only from a currently staked sequencer, once, within its allowance: the EIP-712 signature
 * (domain: the rollup's chain and address) must recover to the sequencer it names, the signature must not have expired
 * nor be valid for longer than the policy allows, L1 must hold the sequencer as active, and the ledger must neither
 * have seen its nonce nor the sequencer's allowance be spent. Cheap checks first; L1 and the ledger last.
 */
export async function authenticateQuoteRequest(
  signed: SignedQuoteRequest,
  deps: AuthenticateQuoteRequestDependencies,
  policy: QuoteRequestPolicy = DEFAULT_QUOTE_REQUEST_POLICY,
): Promise<QuoteRequestAuthentication> {
  const refuse = (refusal: QuoteRequestRefusal): QuoteRequestAuthentication => ({ admitted: false, refusal });
  if (signed.expiresAt <= deps.nowSeconds) {
    return refuse({ kind: 'expired', status: 401, why: `the request expired at ${signed.expiresAt}; L1 time is ${deps.nowSeconds}` });
  }
  if (signed.expiresAt > deps.nowSeconds + policy.maxValiditySeconds) {
    return refuse({ kind: 'expired', status: 401, why: `the request is valid until ${signed.expiresAt}, more than ${policy.maxValiditySeconds} s after L1 time ${deps.nowSeconds}` });
  }
  let signer: Address;
  try {
    signer = await recoverTypedDataAddress({
      domain: quoteRequestDomain(deps.chainId, deps.rollup),
      types: QUOTE_REQUEST_EIP712_TYPES,
      primaryType: 'QuoteRequest',
      message: quoteRequestMessage(signed.request, signed.nonce, signed.expiresAt),
      signature: signed.signature as `0x${string}`,
    });
  } catch (error) {
    return refuse({ kind: 'bad-signature', status: 401, why: `the signature does not recover: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` });
  }
  if (signer.toLowerCase() !== signed.sequencer.toLowerCase()) {
    return refuse({ kind: 'bad-signature', status: 401, why: `the request names sequencer ${signed.sequencer} but is signed by ${signer} (EIP-712 QuoteRequest, chain ${deps.chainId}, rollup ${deps.rollup})` });
  }
  if (!(await deps.stakes.isActiveSequencer(signer))) {
    return refuse({ kind: 'not-staked', status: 403, why: `${signer} is not an active staked sequencer of rollup ${deps.rollup}` });
  }
  const verdict = await deps.ledger.admit({
    sequencer: signer,
    nonce: signed.nonce.toLowerCase(),
    expiresAt: signed.expiresAt,
    nowSeconds: deps.nowSeconds,
    limit: policy.perSequencerLimit,
    windowSeconds: policy.windowSeconds,
  });
  if (verdict === 'replayed') return refuse({ kind: 'replayed', status: 409, why: `nonce ${signed.nonce} of ${signer} was used already` });
  if (verdict === 'throttled') {
    return refuse({ kind: 'throttled', status: 429, why: `${signer} made more than ${policy.perSequencerLimit} requests in ${policy.windowSeconds} s` });
  }
  return { admitted: true, request: signed.request, sequencer: signer };
}
