import type { ScalingSettings } from '../../core/scale/scalingSettings.js';
import { agentJobSize, jobsWithinVcpus, TIERS, type Tier } from '../../core/tiers.js';
import { seededRandom } from '../../core/random/seededRandom.js';
import { sample } from './distribution.js';
import type { SimModel } from './model.js';
import { tierInstanceType } from './instanceSlots.js';
import { simLaunchRate } from './simLaunchRate.js';
import { startupParts } from './startup.js';

/**
 * Wall seconds one expected second of proving takes in the simulator: 1, since its clock is the modelled AWS's and a
 * proof takes its expected duration (times the model's spread). The scaler and the agents' messages both use it.
 */
export const SIM_SECONDS_PER_EXPECTED_SECOND = 1;

/**
 * How long a fresh agent takes from SubmitJob to its first poll, at the given quantile of the model's distributions
 * (seconds; estimated from 10,001 seeded draws, so it is the same every run): every part of its start-up
 * (`startupParts`, as the simulated fleet charges them, container start included), then the agent's plan build, which
 * comes before its first poll. `meanStartup`'s sum is the same start-up's mean without the plan build.
 */
export function provisioningSeconds(model: SimModel, quantile: number): number {
  const random = seededRandom('provisioning');
  const { scheduling, pending, boot, imagePull, containerStart } = startupParts(model);
  const parts = [scheduling, pending, boot, imagePull, containerStart, model.agent.planBuildSeconds];
  const draws = Array.from({ length: 10_001 }, () => parts.reduce((total, part) => total + sample(part, random), 0));
  draws.sort((a, b) => a - b);
  return draws[Math.round(quantile * (draws.length - 1))]!;
}

/**
 * The most agents of each tier the account's maxvCpus holds on the model's instance type, by vCPUs and registered
 * memory (`jobsWithinVcpus`, the rule the construct uses), as the simulated fleet packs its instances.
 */
export function maxAgentsOf(model: SimModel): Record<Tier, number> {
  return Object.fromEntries(
    TIERS.map((tier) => [
      tier,
      jobsWithinVcpus(model.account.maxVcpus[tier], tierInstanceType(model, tier), agentJobSize(tier), model.ec2.registeredMemoryShare),
    ]),
  ) as Record<Tier, number>;
}

/**
 * The scaler's settings as a firm would configure them for this AWS: its horizon is the provisioning latency three
 * agents in four beat (the 75th percentile: earlier ones wait a little); its lookahead is one tick, so each second
 * of forecast demand is asked for by exactly one tick. A longer one asks early: agents wait for their first job, and
 * at a cold start the light agents asked for with the heavy ones share EC2's launch rate and delay them.
 */
export function scalerSettingsFor(model: SimModel): ScalingSettings {
  return {
    minAgents: { heavy: 0, light: 0 },
    maxAgents: maxAgentsOf(model),
    horizonSeconds: provisioningSeconds(model, 0.75),
    urgentSlackSeconds: model.scaling.urgentSlackSeconds,
    secondsPerExpectedSecond: SIM_SECONDS_PER_EXPECTED_SECOND,
    targetStretch: model.scaling.targetStretch,
    lookaheadSeconds: model.scaling.tickSeconds,
    scaleDownHoldSeconds: model.scaling.scaleDownHoldSeconds,
    ...(model.scaling.launchAware ? { launchRate: simLaunchRate(model) } : {}),
  };
}
