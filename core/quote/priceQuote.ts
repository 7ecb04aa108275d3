import type { FleetCapacityExceeded } from '../errors/capacity.js';
import { computeCostUsd, usdToWei } from '../cost/costModel.js';
import { estimateBlockWork } from '../cost/estimateBlockWork.js';
import { getCircuitProfile } from '../profiles/getCircuitProfile.js';
import { requiredProverBond } from '../protocol/bonds.js';
import { blockRewardWei, slotSchedule } from '../protocol/slotSchedule.js';
import type { ProtocolParameters, QuoteTerms } from '../protocol/types.js';
import { TIERS, type Tier } from '../tiers.js';
import type { CheckedBody } from './checkedBody.js';
import { runIdFor } from '../run/runIdFor.js';
import { scaleShape } from '../scale/workWindow.js';
import { checkFleetCapacity, type BlockDemand, type FleetCommitments } from './fleetCapacity.js';
export type { FleetCommitments } from './fleetCapacity.js';
import type { QuoteSettings } from './quoteSettings.js';

/** Why a quote is refused, by name (the HTTP answer carries it beside the sentence). `Paused`: the firm is not quoting. */
export type QuoteRefusalReason = 'BlockTooLarge' | 'DeadlineTooClose' | 'FleetCapacityExceeded' | 'Paused' | 'RewardTooLow' | 'UnprovableBody';

export type QuoteDecision =
  | {
      readonly quote: true;
      readonly terms: QuoteTerms;
      readonly costWei: bigint;
      readonly expectedSeconds: number;
      /** The block's work as the capacity check counted it (with a fleet): what the quote commits the fleet to. */
      readonly demand?: BlockDemand;
    }
  | { readonly quote: false; readonly why: string; readonly reason: QuoteRefusalReason; readonly shortfall?: FleetCapacityExceeded };

/**
 * Above this share of the fleet in some window (the block included), a block is priced as if its deadline were
 * short: it is deliverable, but another firm's block would have to wait behind it.
 */
export const TIGHT_FLEET_SHARE = 0.8;

/**
 * Prices a quote for a checked body: the fee is the expected compute cost plus the margin, as a share of the block's
 * reward, and the margin doubles when the deadline leaves less than twice the expected proving time or the fleet is
 * tight (the bond is at risk). The bond is at least the protocol's minimum for the block's size. Refuses blocks too
 * big, too late, too cheap for their cost, or that the fleet cannot prove by their deadline on top of the blocks
 * already committed, under its quota. The terms name the body's slot and hash.
 */
export function priceQuote(
  body: CheckedBody,
  parameters: ProtocolParameters,
  settings: QuoteSettings,
  nowSeconds: number,
  fleet?: FleetCommitments,
): QuoteDecision {
  if (body.txCount > settings.maxTxs) {
    return { quote: false, reason: 'BlockTooLarge', why: `${body.txCount} txs is above our limit of ${settings.maxTxs}` };
  }
  const profile = getCircuitProfile(settings.profile);
  if (body.txCount > profile.maxTxs) return { quote: false, reason: 'BlockTooLarge', why: `${body.txCount} txs is above ${profile.name}'s limit` };
  const work = estimateBlockWork(profile, body.txCount, body.publicCalls);
  const expectedSeconds = work.criticalPathSeconds * settings.secondsPerExpectedSecond + settings.provisioningSeconds;
  const times = slotSchedule(parameters, body.slot);
  const startsAt = Math.max(nowSeconds, times.commitStart);
  const available = body.provingDeadline - startsAt;
  if (available < expectedSeconds) {
    return { quote: false, reason: 'DeadlineTooClose', why: `needs ~${Math.ceil(expectedSeconds)} s, only ${available} s before the deadline` };
  }
  let tight = false;
  let demand: BlockDemand | undefined;
  if (fleet) {
    const workSeconds = Object.fromEntries(TIERS.map((tier) => [tier, work.jobSeconds[tier] * settings.secondsPerExpectedSecond])) as Record<Tier, number>;
    const candidate = {
      key: runIdFor(body.blockNumber, body.bodyHash),
      startsAt: startsAt + settings.provisioningSeconds,
      deadline: body.provingDeadline,
      workSeconds,
      shape: scaleShape(work.shape, settings.secondsPerExpectedSecond),
    };
    const verdict = checkFleetCapacity(candidate, fleet, nowSeconds);
    if (!verdict.fits) return { quote: false, reason: 'FleetCapacityExceeded', why: verdict.refusal.message, shortfall: verdict.refusal };
    tight = verdict.tightest > TIGHT_FLEET_SHARE;
    demand = candidate;
  }
  const margin = available < 2 * expectedSeconds || tight ? settings.costModel.margin * 2 : settings.costModel.margin;
  const costWei = usdToWei(computeCostUsd(work.jobSeconds, settings.costModel), settings.costModel);
  const total = blockRewardWei(parameters, body.txCount);
  const maxFeeBps = 10_000 - parameters.sequencerBps;
  const chargeWei = (costWei * BigInt(Math.round((1 + margin) * 1000))) / 1000n;
  const priced = total === 0n ? Infinity : Number(ceilDiv(chargeWei * 10_000n, total));
  if (priced > maxFeeBps) {
    return { quote: false, reason: 'RewardTooLow', why: `cost needs ${priced} bps of the reward, more than the ${maxFeeBps} bps available` };
  }
  const feeBps = Math.max(1, priced);
  const minimumBond = requiredProverBond(parameters, body.txCount);
  return {
    quote: true,
    costWei,
    expectedSeconds,
    ...(demand ? { demand } : {}),
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
