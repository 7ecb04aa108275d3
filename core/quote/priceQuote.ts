import { computeCostUsd, usdToWei } from '../cost/costModel.js';
import { estimateBlockWork } from '../cost/estimateBlockWork.js';
import { getCircuitProfile } from '../profiles/getCircuitProfile.js';
import type { QuoteRequest } from '../protocol/quoteRequest.js';
import { blockRewardWei, slotSchedule } from '../protocol/slotSchedule.js';
import type { ProtocolParameters, QuoteTerms } from '../protocol/types.js';
import type { QuoteSettings } from './quoteSettings.js';

export type QuoteDecision =
  | { readonly quote: true; readonly terms: QuoteTerms; readonly costWei: bigint; readonly expectedSeconds: number }
  | { readonly quote: false; readonly why: string };

/**
 * Prices a quote: the fee is the expected compute cost plus the margin, as a share of the block's reward, and the
 * margin doubles when the deadline leaves less than twice the expected proving time (the bond is at risk).
 * Refuses blocks that cannot be proven in time or whose cost the reward cannot cover.
 */
export function priceQuote(
  request: QuoteRequest,
  parameters: ProtocolParameters,
  settings: QuoteSettings,
  nowSeconds: number,
): QuoteDecision {
  if (request.txCount > settings.maxTxs) return { quote: false, why: `${request.txCount} txs is above our limit of ${settings.maxTxs}` };
  const profile = getCircuitProfile(settings.profile);
  if (request.txCount > profile.maxTxs) return { quote: false, why: `${request.txCount} txs is above ${profile.name}'s limit` };
  const work = estimateBlockWork(profile, request.txCount, request.publicCalls);
  const expectedSeconds = work.criticalPathSeconds * settings.secondsPerExpectedSecond + settings.provisioningSeconds;
  const times = slotSchedule(parameters, BigInt(request.slot));
  const available = request.provingDeadline - Math.max(nowSeconds, times.commitStart);
  if (available < expectedSeconds) {
    return { quote: false, why: `needs ~${Math.ceil(expectedSeconds)} s, only ${available} s before the deadline` };
  }
  const margin = available < 2 * expectedSeconds ? settings.costModel.margin * 2 : settings.costModel.margin;
  const costWei = usdToWei(computeCostUsd(work.jobSeconds, settings.costModel), settings.costModel);
  const total = blockRewardWei(parameters, request.txCount);
  const maxFeeBps = 10_000 - parameters.sequencerBps;
  const chargeWei = (costWei * BigInt(Math.round((1 + margin) * 1000))) / 1000n;
  const priced = total === 0n ? Infinity : Number(ceilDiv(chargeWei * 10_000n, total));
  if (priced > maxFeeBps) return { quote: false, why: `cost needs ${priced} bps of the reward, more than the ${maxFeeBps} bps available` };
  const feeBps = Math.max(1, priced);
  return {
    quote: true,
    costWei,
    expectedSeconds,
    terms: {
      blockNumber: BigInt(request.blockNumber),
      proverId: settings.proverId,
      feeBps,
      bond: settings.bond > parameters.minProverBond ? settings.bond : parameters.minProverBond,
      validUntil: times.commitEnd,
    },
  };
}

function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}
