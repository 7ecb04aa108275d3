import type { Tier } from '../tiers.js';
import { scaleCapacity } from '../scale/scaleCapacity.js';
import type { TierDecision } from '../scale/sizeFleet.js';
import { keepScalerMemory, recallScalerMemory } from '../scale/storedScalerMemory.js';
import type { RunDependencies, RunSettings } from './runDependencies.js';

/**
 * How long a tick holds the fleet's lease unless it ends first: well above a tick's run time (a few Batch listings and
 * SubmitJobs), so only a tick that died lets the next one in early.
 */
export const TICK_LEASE_MS = 120_000;

/**
 * A scaling tick over every run that is provisioning or proving. Every live run asks for one (each run's state machine
 * on AWS, each run's walk on the devnet), but the fleet is one: a tick runs only while it holds the fleet's lease, and
 * one that finds another tick running skips (null) — that tick sizes the same fleet for every run. The scaler's
 * memory is recalled from what the last tick saved and saved again at the end, so the next tick may run anywhere
 * (another Lambda environment) and pace, hold and launch as this one would have.
 */
export async function rescaleRuns(deps: RunDependencies, settings: RunSettings): Promise<Record<Tier, TierDecision> | null> {
  const startedMs = deps.clock.now();
  const leaseUntil = startedMs + TICK_LEASE_MS;
  if (!(await deps.targets.claimTick(startedMs, leaseUntil))) {
    deps.log.info('another scaling tick is running; this one skips');
    return null;
  }
  try {
    const active = await deps.store.listRuns(['provisioning', 'proving']);
    await recallScalerMemory(deps, active.map((run) => run.runId));
    const l1Seconds = await deps.chain.latestTimestamp();
    const decisions = await scaleCapacity(
      deps,
      settings.scaling,
      active.map((run) => ({ run, doneJobs: null })),
      { wallMs: deps.clock.now(), l1Seconds },
    );
    await keepScalerMemory(deps, leaseUntil);
    return decisions;
  } finally {
    await deps.targets.endTick(leaseUntil, deps.clock.now());
  }
}
