import { describe, expect, it } from 'vitest';
import { FAKE_PARAMETERS } from '../../test/support/fakeRollupChain.js';
import { DEFAULT_COST_MODEL } from '../cost/costModel.js';
import { slotSchedule } from '../protocol/slotSchedule.js';
import { requiredProverBond } from '../protocol/bonds.js';
import type { CheckedBody } from './checkedBody.js';
import { UNKNOWN_SHAPE } from '../scale/workWindow.js';
import { priceQuote } from './priceQuote.js';
import type { QuoteSettings } from './quoteSettings.js';

const times = slotSchedule(FAKE_PARAMETERS, 7n);
const request = (overrides: Partial<CheckedBody> = {}): CheckedBody => ({
  blockNumber: 4n,
  slot: 7n,
  bodyHash: `0x${'ab'.repeat(32)}`,
  txCount: 64,
  publicCalls: 64,
  provingDeadline: times.commitStart + 300,
  ...overrides,
});
const settings: QuoteSettings = {
  proverId: '0x00000000000000000000000000000000000000aa',
  profile: 'rfp-2023',
  costModel: { ...DEFAULT_COST_MODEL, usdPerEth: 3_000 },
  bond: 10n ** 18n,
  secondsPerExpectedSecond: 0.1,
  provisioningSeconds: 5,
  maxTxs: 1_024,
};

describe('priceQuote', () => {
  it('prices the expected cost plus margin as a share of the block reward, for exactly the checked body, valid until the commit phase ends', () => {
    const decision = priceQuote(request(), FAKE_PARAMETERS, settings, times.commitStart);
    expect(decision.quote).toBe(true);
    if (!decision.quote) return;
    const total = FAKE_PARAMETERS.blockReward + FAKE_PARAMETERS.feePerTx * 64n;
    const charge = (decision.costWei * 1250n) / 1000n;
    expect(decision.terms).toMatchObject({
      blockNumber: 4n,
      slot: 7n,
      bodyHash: `0x${'ab'.repeat(32)}`,
      proverId: settings.proverId,
      bond: 10n ** 18n,
      validUntil: times.commitEnd,
    });
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

  it('refuses blocks above its own limit or its profile\'s, quoting exactly at the limit', () => {
    expect(priceQuote(request({ txCount: 1_024 }), FAKE_PARAMETERS, settings, times.commitStart).quote).toBe(true);
    expect(priceQuote(request({ txCount: 1_025 }), FAKE_PARAMETERS, settings, times.commitStart)).toEqual({
      quote: false,
      reason: 'BlockTooLarge',
      why: '1025 txs is above our limit of 1024',
    });
    const unlimited = { ...settings, maxTxs: 100_000 };
    expect(priceQuote(request({ txCount: 61_441 }), FAKE_PARAMETERS, unlimited, times.commitStart)).toEqual({
      quote: false,
      reason: 'BlockTooLarge',
      why: "61441 txs is above rfp-2023's limit",
    });
  });

  it('counts the time it has from the commit phase, or from now once that has begun, and quotes when it just fits', () => {
    // 64 txs, one call each: a critical path of 270 s × 0.1 + 5 s of provisioning.
    expect(priceQuote(request(), FAKE_PARAMETERS, settings, times.commitStart)).toMatchObject({ expectedSeconds: 32 });
    const fits = request({ provingDeadline: times.commitStart + 32 });
    expect(priceQuote(fits, FAKE_PARAMETERS, settings, times.commitStart - 10).quote).toBe(true);
    expect(priceQuote(fits, FAKE_PARAMETERS, settings, times.commitStart + 1)).toEqual({ quote: false, reason: 'DeadlineTooClose', why: 'needs ~32 s, only 31 s before the deadline' });
  });

  it('doubles the margin only when less than twice the expected time is left', () => {
    const dear = { ...settings, costModel: { ...settings.costModel, usdPerEth: 2 } };
    const relaxed = priceQuote(request({ provingDeadline: times.commitStart + 64 }), FAKE_PARAMETERS, dear, times.commitStart);
    const rushed = priceQuote(request({ provingDeadline: times.commitStart + 63 }), FAKE_PARAMETERS, dear, times.commitStart);
    expect(relaxed.quote && rushed.quote && rushed.terms.feeBps / relaxed.terms.feeBps).toBeCloseTo(1.5 / 1.25, 2);
  });

  it('charges up to every bps the sequencer leaves, to the wei, and not one more', () => {
    // One tx with one call costs 6,400 wei (30 heavy seconds at 768,000 USD/h, 1 USD = 1 wei); +25 % = 8,000 wei.
    const exact: QuoteSettings = {
      ...settings,
      costModel: { usdPerHour: { heavy: { spot: 768_000, onDemand: 768_000 }, light: { spot: 0, onDemand: 0 } }, usdPerEth: 1e18, margin: 0.25 },
    };
    const oneCall = request({ txCount: 1, publicCalls: 1 });
    // A reward of 10,000 wei: 8,000 wei is 8,000 bps, all that the sequencer's 2,000 leave.
    const atLimit = priceQuote(oneCall, { ...FAKE_PARAMETERS, blockReward: 10_000n, feePerTx: 0n }, exact, times.commitStart);
    expect(atLimit).toMatchObject({ quote: true, costWei: 6_400n, terms: { feeBps: 8_000 } });
    const tighter = priceQuote(oneCall, { ...FAKE_PARAMETERS, blockReward: 9_999n, feePerTx: 0n }, exact, times.commitStart);
    expect(tighter).toEqual({ quote: false, reason: 'RewardTooLow', why: 'cost needs 8001 bps of the reward, more than the 8000 bps available' });
  });

  it('refuses a block that pays no reward at all', () => {
    expect(priceQuote(request(), { ...FAKE_PARAMETERS, blockReward: 0n, feePerTx: 0n }, settings, times.commitStart)).toMatchObject({ quote: false });
  });

  it('offers its own bond when it is above the protocol minimum', () => {
    const decision = priceQuote(request(), FAKE_PARAMETERS, { ...settings, bond: 3n * 10n ** 18n }, times.commitStart);
    expect(decision.quote && decision.terms.bond).toBe(3n * 10n ** 18n);
  });

  it('never offers less than the protocol minimum bond for the block’s size', () => {
    for (const txCount of [1, 64, 1_024]) {
      const decision = priceQuote(request({ txCount, publicCalls: txCount }), FAKE_PARAMETERS, { ...settings, bond: 1n }, times.commitStart);
      expect(decision.quote && decision.terms.bond).toBe(requiredProverBond(FAKE_PARAMETERS, txCount));
    }
  });

  describe('against the fleet', () => {
    // 64 txs, one call each, at 0.1 wall seconds per expected second: 192 heavy and 573 light agent-seconds on a
    // 27-s critical path. The light work starts 3 s after the commit phase plus 5 s of provisioning (after the first
    // VM proofs) and ends half the critical path (13.5 s) before the deadline 300 s after it: 278.5 s.
    const fleet = (light: number, utilisation = 1) => ({ quota: { agents: { heavy: 10, light }, utilisation }, committed: [] });
    const dear = { ...settings, costModel: { ...settings.costModel, usdPerEth: 2 } };

    it('quotes at the usual margin when the fleet has room', () => {
      const roomy = priceQuote(request(), FAKE_PARAMETERS, dear, times.commitStart, fleet(10));
      expect(roomy).toEqual({ ...priceQuote(request(), FAKE_PARAMETERS, dear, times.commitStart), demand: expect.objectContaining({ key: 'b4-abababababababab' }) });
    });

    it('prices up a block that needs more than 80 % of the fleet in some window', () => {
      // Three light agents three-quarters used give 626.6 agent-seconds: 573 is 91 % of them.
      const tight = priceQuote(request(), FAKE_PARAMETERS, dear, times.commitStart, fleet(3, 0.75));
      const roomy = priceQuote(request(), FAKE_PARAMETERS, dear, times.commitStart, fleet(10));
      expect(tight.quote && roomy.quote).toBe(true);
      if (tight.quote && roomy.quote) expect(tight.terms.feeBps / roomy.terms.feeBps).toBeCloseTo(1.5 / 1.25, 2);
    });

    it('refuses, by name and with the shortfall, a block the fleet cannot prove by its deadline', () => {
      const refused = priceQuote(request(), FAKE_PARAMETERS, settings, times.commitStart, fleet(1));
      expect(refused).toMatchObject({ quote: false, reason: 'FleetCapacityExceeded', why: expect.stringContaining('the light tier would need 573') });
      if (refused.quote) return;
      expect(refused.shortfall?.shortfall).toMatchObject({
        tier: 'light',
        from: times.commitStart + 5 + 3,
        until: times.commitStart + 300 - 13.5,
        availableSeconds: 278.5,
        blocks: ['b4-abababababababab'],
      });
    });

    it('counts the blocks already committed', () => {
      // A live run due with it needs 2,850 of the 3,000 heavy agent-seconds; 192 more do not fit.
      const busy = { ...fleet(10), committed: [{ key: 'run-a', startsAt: 0, deadline: times.commitStart + 300, workSeconds: { heavy: 2_850, light: 0 }, shape: UNKNOWN_SHAPE }] };
      expect(priceQuote(request(), FAKE_PARAMETERS, settings, times.commitStart, busy)).toMatchObject({ quote: false, reason: 'FleetCapacityExceeded' });
    });
  });
});
