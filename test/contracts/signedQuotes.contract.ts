import { describe, expect, it } from 'vitest';
import type { SignedQuoteDemand, SignedQuotes } from '../../core/ports/signedQuotes.js';
import { withFixture } from './withFixture.js';

export interface SignedQuotesFixture {
  readonly quotes: SignedQuotes;
  close(): Promise<void>;
}

let counter = 0;
/** A stretch of L1 time no other test in the file uses (each fixture run opens a fresh table or process). */
const freshNow = () => 2_000_000_000 + counter++ * 10_000;

const quote = (key: string, now: number, overrides: Partial<SignedQuoteDemand> = {}): SignedQuoteDemand => ({
  key,
  startsAt: now + 24,
  deadline: now + 900,
  validUntil: now + 12,
  workSeconds: { heavy: 61_440.5, light: 122_850 },
  shape: { criticalSeconds: 420, headSeconds: { heavy: 0, light: 30 }, tailSeconds: { heavy: 360, light: 0 } },
  ...overrides,
});

/**
 * The behaviour every SignedQuotes adapter must have: a quote reads back as recorded until its deadline, a quote for
 * the same block replaces it, and quotes recorded at once (two quote function instances) are all kept.
 */
export function describeSignedQuotesContract(name: string, open: () => Promise<SignedQuotesFixture>) {
  describe(`SignedQuotes contract: ${name}`, () => {
    const withQuotes = withFixture(open);
    const mine = (all: readonly SignedQuoteDemand[], prefix: string) => all.filter((q) => q.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : 1));

    it('reads quotes back as recorded, until their deadlines pass', withQuotes(async ({ quotes }) => {
      const now = freshNow();
      const a = quote(`t1-${now}-a`, now);
      const b = quote(`t1-${now}-b`, now, { deadline: now + 100 });
      await quotes.record(a);
      await quotes.record(b);
      expect(mine(await quotes.list(now), `t1-${now}`)).toEqual([a, b]);
      expect(mine(await quotes.list(now + 100), `t1-${now}`)).toEqual([a]);
      expect(mine(await quotes.list(now + 900), `t1-${now}`)).toEqual([]);
    }));

    it('keeps one quote per block: a newer one replaces it', withQuotes(async ({ quotes }) => {
      const now = freshNow();
      await quotes.record(quote(`t2-${now}`, now));
      const again = quote(`t2-${now}`, now, { validUntil: now + 40, workSeconds: { heavy: 1, light: 2 } });
      await quotes.record(again);
      expect(mine(await quotes.list(now), `t2-${now}`)).toEqual([again]);
    }));

    it('keeps every quote recorded at once', withQuotes(async ({ quotes }) => {
      const now = freshNow();
      const many = Array.from({ length: 8 }, (_, i) => quote(`t3-${now}-${i}`, now));
      await Promise.all(many.map((q) => quotes.record(q)));
      expect(mine(await quotes.list(now), `t3-${now}`)).toEqual(many);
    }));
  });
}
