import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_MODEL } from '../cost/costModel.js';
import { slotSchedule } from '../protocol/slotSchedule.js';
import type { QuoteRequest } from '../protocol/quoteRequest.js';
import type { QuoteTerms } from '../protocol/types.js';
import { silentLogger } from '../ports/logger.js';
import { FAKE_PARAMETERS } from '../../test/support/fakeRollupChain.js';
import { answerQuoteRequest, type BodyCheck } from './answerQuoteRequest.js';
import { priceQuote } from './priceQuote.js';
import type { QuoteSettings } from './quoteSettings.js';

const times = slotSchedule(FAKE_PARAMETERS, 7n);
const request: QuoteRequest = {
  blockNumber: '4',
  slot: '7',
  bodyHash: `0x${'ab'.repeat(32)}`,
  txCount: 64,
  publicCalls: 64,
  revealedAt: times.commitStart - 1,
  provingDeadline: times.commitStart + 300,
};
const settings: QuoteSettings = {
  proverId: '0x00000000000000000000000000000000000000aa',
  profile: 'rfp-2023',
  costModel: DEFAULT_COST_MODEL,
  bond: 10n ** 17n,
  secondsPerExpectedSecond: 0.1,
  provisioningSeconds: 5,
  maxTxs: 1_024,
};

/** Answers `request` with a body check that says `unprovable`, recording what was signed. */
async function answer(unprovable: string | null, overrides: Partial<QuoteRequest> = {}) {
  const signed: QuoteTerms[] = [];
  const checked: QuoteRequest[] = [];
  const checkBody: BodyCheck = async (asked) => {
    checked.push(asked);
    return unprovable;
  };
  const deps = {
    parameters: FAKE_PARAMETERS,
    sign: async (terms: QuoteTerms) => {
      signed.push(terms);
      return '0x5157' as const;
    },
    checkBody,
    log: silentLogger,
    nowSeconds: times.commitStart,
  };
  return { answer: await answerQuoteRequest({ ...request, ...overrides }, deps, settings), signed, checked };
}

describe('answerQuoteRequest', () => {
  it('signs the priced terms of a provable body and returns them with the signature', async () => {
    const { answer: reply, signed, checked } = await answer(null);
    const priced = priceQuote(request, FAKE_PARAMETERS, settings, times.commitStart);
    expect(priced.quote).toBe(true);
    if (!priced.quote) return;
    expect(signed).toEqual([priced.terms]);
    expect(reply).toEqual({ quote: { ...priced.terms, proverSignature: '0x5157' } });
    expect(checked).toEqual([request]);
  });

  it('never quotes a body it cannot prove: the check says why, nothing is signed', async () => {
    const { answer: reply, signed } = await answer('BlockTooLargeError: block has 9 txs, more than the maximum of 8');
    expect(reply).toEqual({ refused: 'the revealed body cannot be proven: BlockTooLargeError: block has 9 txs, more than the maximum of 8' });
    expect(signed).toEqual([]);
  });

  it('passes on why the price does not work, signing nothing', async () => {
    const { answer: reply, signed } = await answer(null, { txCount: 2_000 });
    expect(reply).toEqual({ refused: '2000 txs is above our limit of 1024' });
    expect(signed).toEqual([]);
  });
});
