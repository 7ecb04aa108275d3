import { computeCostUsd, usdToWei, type CostModel } from '../cost/costModel.js';
import { estimateBlockWork, type BlockWorkEstimate } from '../cost/estimateBlockWork.js';
import { getCircuitProfile } from '../profiles/getCircuitProfile.js';
import type { Address } from '../protocol/types.js';
import type { FleetQuota } from '../quote/fleetCapacity.js';
import { scaleShape } from '../scale/workWindow.js';
import { TIERS, type Tier } from '../tiers.js';
import type { ProvePolicy, ProvingMode } from './decideToProve.js';

export interface EconomicPolicyParameters {
  readonly mode: ProvingMode;
  readonly proverId: Address;
  readonly profile: string;
  readonly costModel: CostModel;
  /** Wall seconds per expected second of proving (1 with real provers). */
  readonly secondsPerExpectedSecond: number;
  /** Seconds before the first agents prove (Batch launch latency; ~0 on one machine). */
  readonly provisioningSeconds: number;
  readonly raceLeadSeconds?: number;
  /** The fleet's quota: when given, open-race and prove-all blocks are taken only if they fit (`decideToProve`). */
  readonly fleetQuota?: FleetQuota;
}

/**
 * A firm's proving policy priced from its cost model: a block takes its critical path plus provisioning, and costs
 * its job-seconds at Spot prices. Estimates are cached by block size (the reveal gives only the tx count).
 */
export function economicPolicy(parameters: EconomicPolicyParameters): ProvePolicy {
  const profile = getCircuitProfile(parameters.profile);
  const estimates = new Map<number, BlockWorkEstimate>();
  const estimate = (txCount: number) => {
    const txs = Math.max(1, Math.min(txCount, profile.maxTxs));
    let work = estimates.get(txs);
    if (!work) {
      // Without the body, assume one public call per tx.
      work = estimateBlockWork(profile, txs, txs);
      estimates.set(txs, work);
    }
    return work;
  };
  return {
    mode: parameters.mode,
    proverId: parameters.proverId,
    raceLeadSeconds: parameters.raceLeadSeconds ?? 0,
    estimateSeconds: (txCount) =>
      estimate(txCount).criticalPathSeconds * parameters.secondsPerExpectedSecond + parameters.provisioningSeconds,
    estimateCostWei: (txCount) => usdToWei(computeCostUsd(estimate(txCount).jobSeconds, parameters.costModel), parameters.costModel),
    ...(parameters.fleetQuota
      ? {
          fleet: {
            quota: parameters.fleetQuota,
            provisioningSeconds: parameters.provisioningSeconds,
            workSeconds: (txCount: number) =>
              Object.fromEntries(TIERS.map((tier) => [tier, estimate(txCount).jobSeconds[tier] * parameters.secondsPerExpectedSecond])) as Record<Tier, number>,
            shape: (txCount: number) => scaleShape(estimate(txCount).shape, parameters.secondsPerExpectedSecond),
          },
        }
      : {}),
  };
}
