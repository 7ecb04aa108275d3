import type { RunContextsCache, RunSettings } from '../../core/run/runDependencies.js';
import type { Address } from '../../core/protocol/types.js';
import { DEFAULT_FLEET_UTILISATION, type FleetQuota } from '../../core/quote/fleetCapacity.js';
import { DEFAULT_AGENT_STARTUP_SECONDS, EC2_RUN_INSTANCES_BUCKET } from '../../core/scale/launchRate.js';
import type { ScalingSettings } from '../../core/scale/scalingSettings.js';

/**
 * Run settings for the cloud. The planner reads only the prover id, the profile, the size cap and the time scale (its
 * leaves' latest starts); the scaling and submission figures are the defaults the later states (provision, prove,
 * submit) start from in the cloud, where one expected second of proving takes one wall second unless said otherwise.
 */
export function cloudRunSettings({
  proverId,
  profile,
  maxTxs,
  secondsPerExpectedSecond = 1,
}: {
  proverId: Address;
  profile: string;
  maxTxs: number;
  secondsPerExpectedSecond?: number;
}): RunSettings {
  return {
    proverId,
    profile,
    maxTxs,
    confirmations: 2,
    scaling: {
      minAgents: { heavy: 0, light: 0 },
      maxAgents: { heavy: 2_000, light: 2_000 },
      horizonSeconds: 180,
      urgentSlackSeconds: 120,
      secondsPerExpectedSecond,
      // EC2's documented RunInstances bucket, one agent per instance and the modelled start-up; the block-run
      // context replaces it with the deployment's configuration.
      launchRate: { ...EC2_RUN_INSTANCES_BUCKET, agentsPerInstance: { heavy: 1, light: 1 }, startupSeconds: DEFAULT_AGENT_STARTUP_SECONDS },
    },
    rescaleMs: 30_000,
    submitRetryMs: 5_000,
  };
}

/** A Lambda's run contexts: a warm container re-reads a run after 5 s and keeps two plans (a 61,440-tx plan is ~20 MB). */
export const LAMBDA_RUN_CACHE: RunContextsCache = { runTtlMs: 5_000, maxPlans: 2 };

/**
 * The fleet quoting and the proving policy check blocks against in the cloud: the quota, grown through the launch rate
 * the scaler sizes by (the deployment's configuration: EC2's bucket, agents per instance of the construct's types, the
 * start-up time), with `launchTokens` assumed left in EC2's bucket.
 */
export function cloudFleetQuota(scaling: Pick<ScalingSettings, 'maxAgents' | 'launchRate'>, launchTokens: number): FleetQuota {
  const launch = scaling.launchRate === undefined ? undefined : { rate: scaling.launchRate, tokens: launchTokens };
  return { agents: scaling.maxAgents, utilisation: DEFAULT_FLEET_UTILISATION, ...(launch ? { launch } : {}) };
}
