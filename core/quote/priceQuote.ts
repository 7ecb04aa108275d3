import { computeCostUsd, usdToWei } from '../cost/costModel.js';
import { estimateBlockWork } from '../cost/estimateBlockWork.js';
import { getCircuitProfile } from '../profiles/getCircuitProfile.js';
import { requiredProverBond } from '../protocol/bonds.js';
import { blockRewardWei, slotSchedule } from '../protocol/slotSchedule.js';
import type { ProtocolParameters, QuoteTerms } from '../protocol/types.js';
import type { CheckedBody } from './checkedBody.js';
import type { QuoteSettings } from './quoteSettings.js';

export type QuoteDecision =
  | { readonly quote: true; readonly terms: QuoteTerms; readonly costWei: bigint; readonly expectedSeconds: number }
  | { readonly quote: false; readonly why: string };

/**
 * Prices a quote for a checked body: the fee is the expected compute cost plus the margin, as a share of the block's
 * reward, and the margin doubles when the deadline leaves less than twice the expected proving time (the bond is at
 * risk). The bond is at least the protocol's minimum for the block's size. Refuses blocks that cannot be proven in time
 * or whose cost the reward cannot cover. The terms name the body's slot and hash.
 */
export function priceQuote(
  body: CheckedBody,
  parameters: ProtocolParameters,
  settings: QuoteSettings,
  nowSeconds: number,
): QuoteDecision {
  if (body.txCount > settings.maxTxs) return { quote: false, why: `${body.txCount} txs is above our limit of ${settings.maxTxs}` };
  const profile = getCircuitProfile(settings.profile);
  if (body.txCount > profile.maxTxs) return { quote: false, why: `${body.txCount} txs is above ${profile.name}'s limit` };
  const work = estimateBlockWork(profile, body.txCount, body.publicCalls);
  const expectedSeconds = work.criticalPathSeconds * settings.secondsPerExpectedSecond + settings.provisioningSeconds;
  const times = slotSchedule(parameters, body.slot);
  const available = body.provingDeadline - Math.max(nowSeconds, times.commitStart);
  if (available < expectedSeconds) {
    return { quote: false, why: `needs ~${Math.ceil(expectedSeconds)} s, only ${available} s before the deadline` };
  }
  const margin = available < 2 * expectedSeconds ? settings.costModel.margin * 2 : settings.costModel.margin;
  const costWei = usdToWei(computeCostUsd(work.jobSeconds, settings.costModel), settings.costModel);
  const total = blockRewardWei(parameters, body.txCount);
  const maxFeeBps = 10_000 - parameters.sequencerBps;
  const chargeWei = (costWei * BigInt(Math.round((1 + margin) * 1000))) / 1000n;
  const priced = total === 0n ? Infinity : Number(ceilDiv(chargeWei * 10_000n, total));
  if (priced > maxFeeBps) return { quote: false, why: `cost needs ${priced} bps of the reward, more than the ${maxFeeBps} bps available` };
  const feeBps = Math.max(1, priced);
  const minimumBond = requiredProverBond(parameters, body.txCount);
  return {
    quote: true,
    costWei,
    expectedSeconds,
    terms: {
      blockNumber: body.blockNumber,
      slot: body.slot,
      bodyHash: body.bodyHash,
      proverId: settings.proverId,
      feeBps,
      bond: settings.bond > minimumBond ? settings.bond : minimumBond,
      validUntil: times.commitEnd,
    },
  };
}

function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}
