import { describe, expect, it } from 'vitest';
import type { QuoteRequestLedger } from '../../core/ports/quoteRequests.js';
import type { Address } from '../../core/protocol/types.js';
import { withFixture } from './withFixture.js';

export interface QuoteRequestLedgerFixture {
  readonly ledger: QuoteRequestLedger;
  close(): Promise<void>;
}

let counter = 0;
/** A sequencer no other test (or earlier run against the same table) has used. */
const freshSequencer = (): Address => `0x${(Date.now() * 1000 + counter++).toString(16).padStart(40, '0')}`;
const nonce = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const NOW = 1_800_000_000;

/** The behaviour every QuoteRequestLedger adapter must have. */
export function describeQuoteRequestLedgerContract(name: string, open: () => Promise<QuoteRequestLedgerFixture>) {
  describe(`QuoteRequestLedger contract: ${name}`, () => {
    const withLedger = withFixture(open);
    const entry = (sequencer: Address, n: number, nowSeconds = NOW, limit = 3) => ({ sequencer, nonce: nonce(n), expiresAt: nowSeconds + 60, nowSeconds, limit, windowSeconds: 60 });

    it('admits a nonce once; the same nonce again is a replay, another sequencer may use it', withLedger(async ({ ledger }) => {
      const [a, b] = [freshSequencer(), freshSequencer()];
      expect(await ledger.admit(entry(a, 1))).toBe('admitted');
      expect(await ledger.admit(entry(a, 1, NOW + 5))).toBe('replayed');
      expect(await ledger.admit(entry(b, 1))).toBe('admitted');
    }));

    it('throttles a sequencer past its allowance in a window, and admits it again in the next', withLedger(async ({ ledger }) => {
      const a = freshSequencer();
      for (const n of [1, 2, 3]) expect(await ledger.admit(entry(a, n))).toBe('admitted');
      expect(await ledger.admit(entry(a, 4))).toBe('throttled');
      // Another sequencer has an allowance of its own.
      expect(await ledger.admit(entry(freshSequencer(), 4))).toBe('admitted');
      // The throttled request left no nonce: sent again in the next window it is admitted.
      expect(await ledger.admit(entry(a, 4, NOW + 60))).toBe('admitted');
    }));

    it('a replay counts against nothing', withLedger(async ({ ledger }) => {
      const a = freshSequencer();
      expect(await ledger.admit(entry(a, 1))).toBe('admitted');
      for (let i = 0; i < 4; i++) expect(await ledger.admit(entry(a, 1))).toBe('replayed');
      expect(await ledger.admit(entry(a, 2))).toBe('admitted');
    }));

    it('admits one of many concurrent copies of a request', withLedger(async ({ ledger }) => {
      const a = freshSequencer();
      const verdicts = await Promise.all(Array.from({ length: 5 }, () => ledger.admit(entry(a, 9, NOW, 100))));
      expect(verdicts.filter((verdict) => verdict === 'admitted')).toHaveLength(1);
    }));
  });
}
