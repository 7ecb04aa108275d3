import { TIERS, type Tier } from '../tiers.js';
import { instancesLaunchableBehind } from './launchRate.js';
import { DEFAULT_LOOKAHEAD_SECONDS, type ScalingSettings } from './scalingSettings.js';
import type { FleetSizing } from './sizeFleet.js';

/**
 * The scaler's estimate of EC2's RunInstances bucket after its own last asks: tokens left (below zero, launches it
 * asked for that still wait for the bucket) at a wall ms. It counts every agent started as a launch, so it errs on
 * the side of fewer tokens (an agent placed on an instance already up takes none).
 */
export interface LaunchBudget {
  readonly atMs: number;
  readonly tokens: number;
}

/**
 * Launch-aware starts: each tick asks for no more agents than EC2's RunInstances bucket can bring up by the time the
 * sizing's forecast needs them (one provisioning horizon plus the lookahead), and shares those launches between the
 * tiers by urgency. One bucket serves every tier (and the whole account) first come, first served, so without this a
 * surge asked for at once — thousands of heavy agents for a large block — queues every later launch behind it, and
 * the light agents the blocks' tails need wait for tens of minutes. Agents not asked for now are asked for again by
 * a later tick, if the forecast still needs them then.
 *
 * A tier's urgency is its most urgent run that still has work in it, as `sizeFleet` orders runs (committed first,
 * then by latest start: deadline − remaining critical path); the more urgent tier's launches come first, and tiers
 * equally urgent share in proportion to what they ask. With no `launchRate` in the settings, the sizing is returned
 * as it is. Pure: returns the sizing to act on and the bucket's estimate after this tick's asks.
 */
export function shareLaunches(
  sizing: FleetSizing,
  wallMs: number,
  budget: LaunchBudget | null,
  settings: Pick<ScalingSettings, 'launchRate' | 'horizonSeconds' | 'lookaheadSeconds' | 'secondsPerExpectedSecond'>,
): { readonly sizing: FleetSizing; readonly budget: LaunchBudget | null } {
  const rate = settings.launchRate;
  if (rate === undefined) return { sizing, budget: null };
  const refilled = budget === null ? rate.burstInstances : budget.tokens + (rate.instancesPerSecond * Math.max(0, wallMs - budget.atMs)) / 1_000;
  const tokens = Math.min(rate.burstInstances, refilled);
  const usefulSeconds = (settings.horizonSeconds + (settings.lookaheadSeconds ?? DEFAULT_LOOKAHEAD_SECONDS)) * settings.secondsPerExpectedSecond;
  let launchable = instancesLaunchableBehind(rate, tokens, usefulSeconds - rate.startupSeconds);
  const asked = perTier((tier) => Math.ceil(sizing.tiers[tier].start / rate.agentsPerInstance[tier]));
  const granted = perTier(() => 0);
  const rank = perTier((tier) => urgencyRank(sizing, tier));
  for (const level of [...new Set(TIERS.map((tier) => rank[tier]))].sort((a, b) => a - b)) {
    const tiers = TIERS.filter((tier) => rank[tier] === level && asked[tier] > 0);
    const wanted = sum(tiers.map((tier) => asked[tier]));
    if (wanted === 0) continue;
    const share = Math.min(1, launchable / wanted);
    for (const tier of tiers) granted[tier] = Math.floor(asked[tier] * share);
    launchable -= sum(tiers.map((tier) => granted[tier]));
  }
  const used = sum(TIERS.map((tier) => granted[tier]));
  const decisions = { ...sizing.tiers };
  for (const tier of TIERS) {
    const decision = sizing.tiers[tier];
    if (granted[tier] >= asked[tier]) continue;
    const start = Math.min(decision.start, granted[tier] * rate.agentsPerInstance[tier]);
    decisions[tier] = {
      ...decision,
      start,
      why: `${decision.why}; ${decision.start - start} of ${decision.start} not asked for yet: EC2's launch bucket brings up ${granted[tier]} ${tier} instances in time (${Math.round(usefulSeconds)} s)`,
    };
  }
  return { sizing: { ...sizing, tiers: decisions }, budget: { atMs: wallMs, tokens: tokens - used } };
}

/** Where the tier's most urgent run with work left in it stands in `sizing.order` (past the end with none). */
function urgencyRank(sizing: FleetSizing, tier: Tier): number {
  const busy = new Set(sizing.targets[tier].work.filter((run) => run.remainingSeconds > 0).map((run) => run.runId));
  const at = sizing.order.findIndex((runId) => busy.has(runId));
  return at === -1 ? sizing.order.length : at;
}

function perTier<T>(value: (tier: Tier) => T): Record<Tier, T> {
  return { heavy: value('heavy'), light: value('light') };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
