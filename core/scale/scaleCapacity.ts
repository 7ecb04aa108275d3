import type { Logger } from '../ports/logger.js';
import type { Tier } from '../tiers.js';
import { applyFleetSizing, type ApplyFleetSizingDependencies } from './applyFleetSizing.js';
import { observeFleet, type ObserveFleetDependencies, type RunProgress } from './observeFleet.js';
import type { ScalerMemory } from './scalerMemory.js';
import type { ScalingSettings } from './scalingSettings.js';
import { sizeFleet, type TierDecision } from './sizeFleet.js';

export interface ScaleCapacityDependencies extends Omit<ObserveFleetDependencies, 'profiles'>, ApplyFleetSizingDependencies {
  readonly log: Logger;
  /** What the scaler keeps across ticks: plan shapes and pacing state per live run. */
  readonly scaler: ScalerMemory;
}

/**
 * One scaling tick over every live run (agents serve all runs of their tier): observe the queues, agents and last
 * targets → size one fleet per tier (pure) → publish the targets, start the deficit, stop stragglers. Runs no longer
 * live are forgotten.
 */
export async function scaleCapacity(
  deps: ScaleCapacityDependencies,
  settings: ScalingSettings,
  active: readonly RunProgress[],
  now: { readonly wallMs: number; readonly l1Seconds: number },
): Promise<Record<Tier, TierDecision>> {
  const observation = await observeFleet({ ...deps, profiles: deps.scaler.profiles }, active, now);
  const sizing = sizeFleet(observation, deps.scaler.pacing, settings);
  deps.scaler.pacing.clear();
  for (const [runId, pacing] of sizing.pacing) deps.scaler.pacing.set(runId, pacing);
  for (const runId of deps.scaler.profiles.keys()) if (!sizing.pacing.has(runId)) deps.scaler.profiles.delete(runId);
  await applyFleetSizing(deps, sizing);
  return { ...sizing.tiers };
}
