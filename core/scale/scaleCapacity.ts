import type { Logger } from '../ports/logger.js';
import type { Tier } from '../tiers.js';
import { applyFleetSizing, type ApplyFleetSizingDependencies } from './applyFleetSizing.js';
import { observeFleet, type ObserveFleetDependencies, type RunProgress } from './observeFleet.js';
import { holdScaleDown } from './holdScaleDown.js';
import { shareLaunches } from './shareLaunches.js';
import type { ScalerMemory } from './scalerMemory.js';
import type { ScalingSettings } from './scalingSettings.js';
import { sizeFleet, type TierDecision } from './sizeFleet.js';

export interface ScaleCapacityDependencies extends Omit<ObserveFleetDependencies, 'profiles'>, ApplyFleetSizingDependencies {
  readonly log: Logger;
  /** What the scaler keeps across ticks: plan shapes and pacing state per live run, the hold's wants per tier. */
  readonly scaler: ScalerMemory;
}

/**
 * One scaling tick over every live run (agents serve all runs of their tier): observe the queues, agents and last
 * targets → size one fleet per tier (pure) → hold each target at the most it wanted lately while blocks keep arriving
 * (pure, `holdScaleDown`) → ask only for the agents EC2's launch bucket can bring up in time, most urgent tier first
 * (pure, `shareLaunches`, with `launchRate`) → publish the targets, start the deficit, stop stragglers. Runs no longer
 * live are forgotten.
 */
export async function scaleCapacity(
  deps: ScaleCapacityDependencies,
  settings: ScalingSettings,
  active: readonly RunProgress[],
  now: { readonly wallMs: number; readonly l1Seconds: number },
): Promise<Record<Tier, TierDecision>> {
  const observation = await observeFleet({ ...deps, profiles: deps.scaler.profiles }, active, now);
  const wanted = sizeFleet(observation, deps.scaler.pacing, settings, deps.scaler.leaveReads);
  const held = holdScaleDown(wanted, observation, deps.scaler.held, settings);
  deps.scaler.held = held.memory;
  const { sizing, budget } = shareLaunches(held.sizing, observation.wallMs, deps.scaler.launchBudget, settings);
  deps.scaler.launchBudget = budget;
  for (const [tier, reads] of sizing.leaveReads) deps.scaler.leaveReads.set(tier, reads);
  deps.scaler.pacing.clear();
  // Most urgent first: a stored record that must drop runs drops the least urgent.
  for (const runId of sizing.order) deps.scaler.pacing.set(runId, sizing.pacing.get(runId)!);
  for (const runId of deps.scaler.profiles.keys()) if (!sizing.pacing.has(runId)) deps.scaler.profiles.delete(runId);
  await applyFleetSizing(deps, sizing);
  return { ...sizing.tiers };
}
