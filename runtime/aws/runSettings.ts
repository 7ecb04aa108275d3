import type { RunContextsCache, RunSettings } from '../../core/run/runDependencies.js';
import type { Address } from '../../core/protocol/types.js';
import { DEFAULT_FLEET_UTILISATION, type FleetQuota } from '../../core/quote/fleetCapacity.js';
import { DEFAULT_AGENT_STARTUP_SECONDS, EC2_RUN_INSTANCES_BUCKET, type LaunchRate } from '../../core/scale/launchRate.js';
import type { Tier } from '../../core/tiers.js';

/**
 * Run settings for the cloud. The planner reads only the prover id, the profile and the size cap; the scaling and
 * submission figures are the defaults the later states (provision, prove, submit) start from in the cloud, where one
 * expected second of proving takes one wall second.
 */
export function cloudRunSettings({ proverId, profile, maxTxs }: { proverId: Address; profile: string; maxTxs: number }): RunSettings {
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
      secondsPerExpectedSecond: 1,
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
 * How fast the cloud fleet can grow, as quoting counts it: EC2's RunInstances bucket (cited in core/scale/launchRate),
 * one agent per instance (the compute environments' instance types are sized for one agent: the fewest agents per
 * launch, the safe side), and 75 s from asking to a polling agent — AWS documents no bound for scheduling, launch,
 * boot and image pull, so this is the simulator's median (sim/model/simLaunchRate), a parameter.
 */
export const CLOUD_LAUNCH_RATE: LaunchRate = { ...EC2_RUN_INSTANCES_BUCKET, agentsPerInstance: { heavy: 1, light: 1 }, startupSeconds: 75 };

/** The fleet quoting and the proving policy check blocks against in the cloud: the quota, grown through EC2's bucket. */
export function cloudFleetQuota(maxAgents: Readonly<Record<Tier, number>>, launchTokens: number): FleetQuota {
  return { agents: maxAgents, utilisation: DEFAULT_FLEET_UTILISATION, launch: { rate: CLOUD_LAUNCH_RATE, tokens: launchTokens } };
}
