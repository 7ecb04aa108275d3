import { describe, expect, it } from 'vitest';
import { computeCostUsd, DEFAULT_COST_MODEL, usdToWei } from '../cost/costModel.js';
import { estimateBlockWork } from '../cost/estimateBlockWork.js';
import { rfp2023 } from '../profiles/rfp2023.js';
import { economicPolicy } from './economicPolicy.js';

const parameters = {
  mode: 'open-race' as const,
  proverId: '0x00000000000000000000000000000000000000aa' as const,
  profile: 'rfp-2023',
  costModel: DEFAULT_COST_MODEL,
  secondsPerExpectedSecond: 0.5,
  provisioningSeconds: 90,
};

describe('economicPolicy', () => {
  it("prices a block from the profile's plan with one public call per tx, at Spot prices", () => {
    const policy = economicPolicy(parameters);
    const work = estimateBlockWork(rfp2023, 64, 64);
    expect(policy.estimateSeconds(64)).toBe(work.criticalPathSeconds * 0.5 + 90);
    expect(policy.estimateCostWei(64)).toBe(usdToWei(computeCostUsd(work.jobSeconds, DEFAULT_COST_MODEL), DEFAULT_COST_MODEL));
    expect(policy).toMatchObject({ mode: 'open-race', proverId: parameters.proverId, raceLeadSeconds: 0 });
    expect(economicPolicy({ ...parameters, raceLeadSeconds: 12 }).raceLeadSeconds).toBe(12);
  });

  it("estimates a block of no txs as one tx, and one above the profile's limit at the limit", () => {
    const policy = economicPolicy(parameters);
    expect(policy.estimateCostWei(0)).toBe(policy.estimateCostWei(1));
    expect(policy.estimateSeconds(100_000)).toBe(policy.estimateSeconds(61_440));
    expect(policy.estimateCostWei(2)).toBeGreaterThan(policy.estimateCostWei(1));
  });

  it('checks the fleet only when given its quota, with the work of one public call per tx, in wall seconds', () => {
    expect(economicPolicy(parameters).fleet).toBeUndefined();
    const quota = { agents: { heavy: 5, light: 20 }, utilisation: 0.8 };
    const fleet = economicPolicy({ ...parameters, fleetQuota: quota }).fleet!;
    const work = estimateBlockWork(rfp2023, 64, 64);
    expect(fleet.quota).toBe(quota);
    expect(fleet.provisioningSeconds).toBe(90);
    expect(fleet.workSeconds(64)).toEqual({ heavy: work.jobSeconds.heavy * 0.5, light: work.jobSeconds.light * 0.5 });
  });
});
