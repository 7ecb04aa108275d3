import { hashStruct, verifyTypedData, type Address, type Hex } from 'viem';
import { quoteDomain, QUOTE_EIP712_TYPES } from '../../core/protocol/quoteTypedData.js';
import type { Bytes32, QuoteTerms, SignedQuote } from '../../core/protocol/types.js';
import type { L1WalletClient } from '../transactions/l1Clients.js';
import { contractQuote } from './contractQuote.js';

/** Where a quote is valid: the rollup it is committed on, on its chain. */
export interface QuoteDomain {
  readonly chainId: number;
  readonly rollup: Address;
}

/** The quote's EIP-712 struct hash: what the sequencer's QuoteAcceptance countersigns (Rollup.quoteHash). */
export function quoteStructHash(terms: QuoteTerms): Bytes32 {
  return hashStruct({ types: QUOTE_EIP712_TYPES, primaryType: 'ProverQuote', data: contractQuote(terms) });
}

/** Signs a quote as its prover; the wallet's account must be the quote's prover id. */
export async function signProverQuote(client: L1WalletClient, domain: QuoteDomain, terms: QuoteTerms): Promise<SignedQuote> {
  const proverSignature = await client.signTypedData({
    account: client.account,
    domain: quoteDomain(domain.chainId, domain.rollup),
    types: QUOTE_EIP712_TYPES,
    primaryType: 'ProverQuote',
    message: contractQuote(terms),
  });
  return { ...terms, proverSignature };
}

/** The winning sequencer's countersignature (QuoteAcceptance) of a quote; the wallet's account is the sequencer. */
export function acceptQuote(client: L1WalletClient, domain: QuoteDomain, terms: QuoteTerms): Promise<Hex> {
  return client.signTypedData({
    account: client.account,
    domain: quoteDomain(domain.chainId, domain.rollup),
    types: QUOTE_EIP712_TYPES,
    primaryType: 'QuoteAcceptance',
    message: { quoteHash: quoteStructHash(terms), sequencer: client.account.address },
  });
}

/** Whether the quote carries a valid signature by its prover id. */
export function isSignedByProver(domain: QuoteDomain, quote: SignedQuote): Promise<boolean> {
  return verifyTypedData({
    address: quote.proverId,
    domain: quoteDomain(domain.chainId, domain.rollup),
    types: QUOTE_EIP712_TYPES,
    primaryType: 'ProverQuote',
    message: contractQuote(quote),
    signature: quote.proverSignature,
  });
}
