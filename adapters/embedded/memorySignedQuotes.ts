import type { SignedQuoteDemand, SignedQuotes } from '../../core/ports/signedQuotes.js';

/** The quotes one process signed (the devnet's quote server), until their deadlines pass. */
export function createMemorySignedQuotes(): SignedQuotes {
  const quotes = new Map<string, SignedQuoteDemand>();
  return {
    async record(quote) {
      quotes.set(quote.key, quote);
    },
    async list(nowSeconds) {
      for (const [key, quote] of quotes) if (quote.deadline <= nowSeconds) quotes.delete(key);
      return [...quotes.values()];
    },
  };
}
