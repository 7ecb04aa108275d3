import type { Address } from '../protocol/types.js';

/** Who may ask for quotes: L1's record of staked sequencers (Rollup.isActiveSequencer). */
export interface SequencerStakes {
  /** Whether `sequencer` is staked and not exiting, now. */
  isActiveSequencer(sequencer: Address): Promise<boolean>;
}

/** What the ledger says of one signed request. */
export type LedgerVerdict = 'admitted' | 'replayed' | 'throttled';

/** One signed quote request, as the ledger records it. */
export interface LedgerEntry {
  readonly sequencer: Address;
  /** The request's nonce (0x and 64 hex digits): a (sequencer, nonce) pair is admitted once. */
  readonly nonce: string;
  /** Until when the request's signature is valid (seconds): the ledger need remember the nonce no longer. */
  readonly expiresAt: number;
  readonly nowSeconds: number;
  /** The sequencer's allowance: at most `limit` admitted requests per `windowSeconds` window. */
  readonly limit: number;
  readonly windowSeconds: number;
}

/**
 * The quote endpoint's memory of signed requests across processes: each (sequencer, nonce) is admitted at most once
 * (replay protection) and each sequencer at most `limit` times per window (flooding). A replayed request counts against
 * nothing; a throttled one is not recorded, so it may be sent again in the next window.
 */
export interface QuoteRequestLedger {
  admit(entry: LedgerEntry): Promise<LedgerVerdict>;
}
