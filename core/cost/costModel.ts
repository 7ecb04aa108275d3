import type { Tier } from '../tiers.js';

/** What proving costs a firm: machine prices per tier and what an ether is worth. */
export interface CostModel {
  readonly usdPerHour: Readonly<Record<Tier, { readonly spot: number; readonly onDemand: number }>>;
  readonly usdPerEth: number;
  /** Profit a quote adds on top of the expected cost (0.25 = 25%). */
  readonly margin: number;
}

/**
 * Defaults from us-east-1 prices: heavy on c7i.8xlarge (32 vCPU, 64 GiB), light on c7i.2xlarge (8 vCPU, 16 GiB).
 * On demand: the EC2 on-demand price list (https://aws.amazon.com/ec2/pricing/on-demand/, Linux, us-east-1).
 * Spot: AWS publishes no fixed Spot price (it "adjusts gradually based on long-term trends in supply and
 * demand", https://aws.amazon.com/ec2/spot/pricing/), so 0.55 and 0.14 are an assumption — about 61 % below on
 * demand — and a parameter: a firm overrides them with its own. Sensitivity: every dollar figure the simulator and the quotes give
 * scales linearly with them; ratios to the compute lower bound do not move while both tiers keep the same discount.
 */
export const DEFAULT_COST_MODEL: CostModel = {
  usdPerHour: { heavy: { spot: 0.55, onDemand: 1.428 }, light: { spot: 0.14, onDemand: 0.357 } },
  usdPerEth: 3_000,
  margin: 0.25,
};

/** Expected compute cost in USD of the given job-seconds per tier. */
export function computeCostUsd(jobSeconds: Readonly<Record<Tier, number>>, model: CostModel, spot = true): number {
  const price = (tier: Tier) => (spot ? model.usdPerHour[tier].spot : model.usdPerHour[tier].onDemand) / 3600;
  return jobSeconds.heavy * price('heavy') + jobSeconds.light * price('light');
}

/** USD converted to wei at the model's ether price. */
export function usdToWei(usd: number, model: CostModel): bigint {
  return BigInt(Math.ceil((usd / model.usdPerEth) * 1e18));
}
