import type { LedgerEntry, LedgerVerdict, QuoteRequestLedger } from '../../core/ports/quoteRequests.js';

/** The quote request ledger of one process (the devnet's quote server): nonces until they expire, counts per window. */
export function createMemoryQuoteRequestLedger(): QuoteRequestLedger {
  const nonces = new Map<string, number>();
  const windows = new Map<string, number>();
  return {
    async admit({ sequencer, nonce, expiresAt, nowSeconds, limit, windowSeconds }: LedgerEntry): Promise<LedgerVerdict> {
      for (const [key, until] of nonces) if (until < nowSeconds) nonces.delete(key);
      const nonceKey = `${sequencer.toLowerCase()}#${nonce.toLowerCase()}`;
      if (nonces.has(nonceKey)) return 'replayed';
      const windowKey = `${sequencer.toLowerCase()}#${Math.floor(nowSeconds / windowSeconds)}`;
      const count = windows.get(windowKey) ?? 0;
      if (count >= limit) return 'throttled';
      windows.set(windowKey, count + 1);
      nonces.set(nonceKey, expiresAt);
      return 'admitted';
    },
  };
}
