import { describe, expect, it } from 'vitest';
import { FAKE_PARAMETERS } from '../../test/support/fakeRollupChain.js';
import { DEFAULT_COST_MODEL } from '../cost/costModel.js';
import { slotSchedule } from '../protocol/slotSchedule.js';
import type { QuoteRequest } from '../protocol/quoteRequest.js';
import { priceQuote } from './priceQuote.js';
import type { QuoteSettings } from './quoteSettings.js';

const times = slotSchedule(FAKE_PARAMETERS, 7n);
const request = (overrides: Partial<QuoteRequest> = {}): QuoteRequest => ({
  blockNumber: '4',
  slot: '7',
  bodyHash: `0x${'ab'.repeat(32)}`,
  txCount: 64,
  publicCalls: 64,
  revealedAt: times.commitStart - 1,
  provingDeadline: times.commitStart + 300,
  ...overrides,
});
const settings: QuoteSettings = {
  proverId: '0x00000000000000000000000000000000000000aa',
  profile: 'rfp-2023',
  costModel: { ...DEFAULT_COST_MODEL, usdPerEth: 3_000 },
  bond: 10n ** 17n,
  secondsPerExpectedSecond: 0.1,
  provisioningSeconds: 5,
  maxTxs: 1_024,
};

describe('priceQuote', () => {
  it('prices the expected cost plus margin as a share of the block reward, valid until the commit phase ends', () => {
    const decision = priceQuote(request(), FAKE_PARAMETERS, settings, times.commitStart);
    expect(decision.quote).toBe(true);
    if (!decision.quote) return;
    const total = FAKE_PARAMETERS.blockReward + FAKE_PARAMETERS.feePerTx * 64n;
    const charge = (decision.costWei * 1250n) / 1000n;
    expect(decision.terms).toMatchObject({ blockNumber: 4n, proverId: settings.proverId, bond: 10n ** 17n, validUntil: times.commitEnd });
    expect(decision.terms.feeBps).toBe(Number((charge * 10_000n + total - 1n) / total));
    expect(decision.terms.feeBps).toBeGreaterThan(0);
  });

  it('doubles the margin when the deadline leaves less than twice the expected time', () => {
    // At 2 USD per ether the compute cost is a large share of the reward, so the margin shows in the fee.
    const dear = { ...settings, costModel: { ...settings.costModel, usdPerEth: 2 } };
    const relaxed = priceQuote(request(), FAKE_PARAMETERS, dear, times.commitStart);
    const rushed = priceQuote(request({ provingDeadline: times.commitStart + 45 }), FAKE_PARAMETERS, dear, times.commitStart);
    expect(relaxed.quote && rushed.quote).toBe(true);
    if (relaxed.quote && rushed.quote) {
      expect(rushed.terms.feeBps / relaxed.terms.feeBps).toBeCloseTo(1.5 / 1.25, 2);
    }
  });

  it('refuses a block it cannot prove before the deadline', () => {
    expect(priceQuote(request({ provingDeadline: times.commitStart + 10 }), FAKE_PARAMETERS, settings, times.commitStart)).toMatchObject({
      quote: false,
      why: expect.stringContaining('before the deadline'),
    });
  });

  it('refuses blocks above its size limit, and unprofitable ones', () => {
    expect(priceQuote(request({ txCount: 2_000 }), FAKE_PARAMETERS, settings, times.commitStart)).toMatchObject({ quote: false });
    const dear = { ...settings, costModel: { ...settings.costModel, usdPerEth: 0.0001 } };
    expect(priceQuote(request(), FAKE_PARAMETERS, dear, times.commitStart)).toMatchObject({ quote: false, why: expect.stringContaining('bps') });
  });

  it('never offers less than the protocol minimum bond', () => {
    const decision = priceQuote(request(), FAKE_PARAMETERS, { ...settings, bond: 1n }, times.commitStart);
    expect(decision.quote && decision.terms.bond).toBe(FAKE_PARAMETERS.minProverBond);
  });
});
