import { type LaunchRate } from '../../core/scale/launchRate.js';
import { TIERS, type Tier } from '../../core/tiers.js';
import { agentsPerInstance } from './instanceSlots.js';
import type { SimModel } from './model.js';
import { meanStartup } from './startup.js';

/**
 * The launch rate the simulated AWS allows, as the scaler and quoting see it (`core/scale/launchRate`): the model's
 * EC2 bucket, agents per instance of its instance types (`agentsPerInstance`: 6 heavy or 24 light on the default
 * c7i.48xlarge), and the mean time from SubmitJob to a fresh agent's first
 * poll (`meanStartup`: scheduling, pending, boot, image pull, container start).
 */
export function simLaunchRate(model: SimModel): LaunchRate {
  return {
    burstInstances: model.ec2.launchBucket.burst,
    instancesPerSecond: model.ec2.launchBucket.refillPerSecond,
    agentsPerInstance: Object.fromEntries(TIERS.map((tier) => [tier, agentsPerInstance(model, tier)])) as Record<Tier, number>,
    startupSeconds: meanStartup(model).totalSeconds,
  };
}
