import { TIERS, type Tier } from '../tiers.js';
import type { FleetObservation } from './observeFleet.js';
import { DEFAULT_SCALE_DOWN_HOLD_SECONDS, type ScalingSettings } from './scalingSettings.js';
import type { FleetSizing, TierDecision } from './sizeFleet.js';

/** One tick's wanted target for a tier: what the sizing asked for before the hold. */
export interface WantedTarget {
  /** Wall ms of the tick. */
  readonly atMs: number;
  readonly agents: number;
}

/**
 * What the hold remembers of a tier: the ticks' wanted targets that can still be the window's highest, oldest first
 * and strictly decreasing (a later, higher want makes every earlier, lower one irrelevant), so the first is the
 * highest want of the window.
 */
export type HoldHistory = readonly WantedTarget[];

/**
 * The scale-down hold: a tier's published target never drops below the most it wanted over the last
 * `scaleDownHoldSeconds`, so agents a stream of blocks keeps needing do not leave between two blocks only to be
 * relaunched through EC2's RunInstances bucket (1,000 instances of burst, 2 a second after that: a fleet of
 * thousands that left takes tens of minutes to come back). It only keeps agents that are there — it never starts one
 * and never raises the target above the agents counted — and stragglers are stopped only above the held target.
 *
 * The same rule as Kubernetes' HPA downscale stabilization (the highest recommendation over the window, 300 s by
 * default) and KEDA's cooldownPeriod (300 s by default); see `DEFAULT_SCALE_DOWN_HOLD_SECONDS`.
 *
 * With no live run the hold is dropped and its history forgotten: an idle firm does not pay for a fleet nobody has
 * committed work for (`releaseCapacityIfIdle` then publishes zero). A tier seen for the first time starts its history
 * with the agents counted, the fleet as the scaler finds it (what the blocks before wanted).
 *
 * Pure: returns the sizing to act on and each tier's new history.
 */
export function holdScaleDown(
  sizing: FleetSizing,
  observation: Pick<FleetObservation, 'wallMs' | 'tiers' | 'runs'>,
  history: ReadonlyMap<Tier, HoldHistory>,
  settings: Pick<ScalingSettings, 'maxAgents' | 'scaleDownHoldSeconds'>,
): { readonly sizing: FleetSizing; readonly history: ReadonlyMap<Tier, HoldHistory> } {
  const windowMs = (settings.scaleDownHoldSeconds ?? DEFAULT_SCALE_DOWN_HOLD_SECONDS) * 1_000;
  if (observation.runs.length === 0 || windowMs <= 0) return { sizing, history: new Map() };
  const { wallMs } = observation;
  const tiers = { ...sizing.tiers };
  const targets = { ...sizing.targets };
  const next = new Map<Tier, HoldHistory>();
  for (const tier of TIERS) {
    const { agents } = observation.tiers[tier];
    const have = agents.running + agents.starting;
    const wanted = sizing.tiers[tier].target;
    const seen = history.get(tier) ?? [{ atMs: wallMs, agents: have }];
    const kept = remember(seen, { atMs: wallMs, agents: wanted }, wallMs - windowMs);
    next.set(tier, kept);
    const held = Math.min(settings.maxAgents[tier], have, kept[0]!.agents);
    if (held <= wanted) continue;
    tiers[tier] = holding(sizing.tiers[tier], held, have, windowMs);
    const surplus = have - held;
    targets[tier] = { ...sizing.targets[tier], agents: held, aboveSince: surplus > 0 ? sizing.targets[tier].aboveSince : null };
  }
  return { sizing: { ...sizing, tiers, targets }, history: next };
}

/** The history with this tick's want added: wants no later one can outlast are dropped, and so are wants older than the window. */
function remember(history: HoldHistory, want: WantedTarget, fromMs: number): WantedTarget[] {
  const kept = history.filter((entry) => entry.atMs > fromMs && entry.agents > want.agents);
  kept.push(want);
  return kept;
}

function holding(decision: TierDecision, held: number, have: number, windowMs: number): TierDecision {
  const stop = Math.min(decision.stop, Math.max(0, have - held));
  return {
    ...decision,
    target: held,
    stop,
    why: `${decision.why}; held at ${held} agents (the most wanted in the last ${windowMs / 1_000} s, ${decision.target} now)`,
  };
}
