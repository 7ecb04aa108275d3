import { TIERS, type Tier } from '../tiers.js';
import type { FleetObservation } from './observeFleet.js';
import { DEFAULT_SCALE_DOWN_HOLD_SECONDS, type ScalingSettings } from './scalingSettings.js';
import type { FleetSizing, TierDecision } from './sizeFleet.js';

/** One tick's wanted target for a tier: what the sizing asked for before the hold. */
export interface WantedTarget {
  /** Wall ms of the tick. */
  readonly atMs: number;
  readonly agents: number;
  /**
   * When the newest run the scaler knew of then had started (wall ms; -Infinity for the fleet found before any run):
   * the want is held only once a run has started after it — a block that was not here when it was wanted.
   */
  readonly arrivedMs: number;
}

/**
 * What the hold remembers of a tier: the ticks' wanted targets that can still be the window's highest, oldest first
 * and strictly decreasing (a later, higher want makes every earlier, lower one irrelevant), so the first is the
 * highest want of the window.
 */
export type HoldHistory = readonly WantedTarget[];

/** A run the scaler has seen, and when it started proving (wall ms; when first seen if it had not yet). */
export interface RunArrival {
  readonly runId: string;
  readonly atMs: number;
}

/** What the hold keeps between ticks: each tier's wants, and the runs that arrived within the window. */
export interface HoldMemory {
  readonly wants: ReadonlyMap<Tier, HoldHistory>;
  /** Runs seen that started within the window, finished ones included, oldest first. */
  readonly arrivals: readonly RunArrival[];
}

export const EMPTY_HOLD_MEMORY: HoldMemory = { wants: new Map(), arrivals: [] };

/**
 * The scale-down hold: while blocks keep arriving, a tier's published target never drops below the most it wanted
 * over the last `scaleDownHoldSeconds`, so agents a stream of blocks keeps needing do not leave between two blocks
 * only to be relaunched through EC2's RunInstances bucket (1,000 instances of burst, 2 a second after that: a fleet of
 * thousands that left takes tens of minutes to come back). It only keeps agents that are there — it never starts one
 * and never raises the target above the agents counted — and stragglers are stopped only above the held target.
 *
 * The same rule as Kubernetes' HPA downscale stabilization (the highest recommendation over the window, 300 s by
 * default) and KEDA's cooldownPeriod (300 s by default); see `DEFAULT_SCALE_DOWN_HOLD_SECONDS`.
 *
 * **Only while blocks keep arriving.** A held agent pays off only if a block that was not here when it was wanted
 * wants it back; the live runs' own needs are already in the sizing. So a want is held only once a run has started
 * after it was wanted (within the window, since the want is): an isolated block's peak goes as soon as its own work
 * no longer wants it, while in a stream (a block every slot, well inside the window) each peak is held until it is
 * older than the window. The fleet found at the first tick stands for the blocks before it, so it is held once the
 * first run is seen, unless that run wants it all itself (then it is that run's own peak). As a stream drains, the
 * wants after its last block are not held.
 *
 * With no live run the hold is dropped and its memory forgotten: an idle firm does not pay for a fleet nobody has
 * committed work for (`releaseCapacityIfIdle` then publishes zero). A tier seen for the first time starts its history
 * with the agents counted, the fleet as the scaler finds it (what the blocks before wanted).
 *
 * Pure: returns the sizing to act on and the hold's new memory.
 */
export function holdScaleDown(
  sizing: FleetSizing,
  observation: Pick<FleetObservation, 'wallMs' | 'tiers' | 'runs'>,
  memory: HoldMemory,
  settings: Pick<ScalingSettings, 'maxAgents' | 'scaleDownHoldSeconds'>,
): { readonly sizing: FleetSizing; readonly memory: HoldMemory } {
  const windowMs = (settings.scaleDownHoldSeconds ?? DEFAULT_SCALE_DOWN_HOLD_SECONDS) * 1_000;
  if (observation.runs.length === 0 || windowMs <= 0) return { sizing, memory: EMPTY_HOLD_MEMORY };
  const { wallMs } = observation;
  const arrivals = arrivedWithin(memory.arrivals, observation, wallMs - windowMs);
  const newest = Math.max(-Infinity, ...arrivals.map((arrival) => arrival.atMs));
  const tiers = { ...sizing.tiers };
  const targets = { ...sizing.targets };
  const wants = new Map<Tier, HoldHistory>();
  for (const tier of TIERS) {
    const { agents } = observation.tiers[tier];
    const have = agents.running + agents.starting;
    const wanted = sizing.tiers[tier].target;
    const seen = memory.wants.get(tier) ?? [{ atMs: wallMs, agents: have, arrivedMs: -Infinity }];
    const kept = remember(seen, { atMs: wallMs, agents: wanted, arrivedMs: newest }, wallMs - windowMs);
    wants.set(tier, kept);
    const rewanted = Math.max(0, ...kept.filter((want) => want.arrivedMs < newest).map((want) => want.agents));
    const held = Math.min(settings.maxAgents[tier], have, rewanted);
    if (held <= wanted) continue;
    tiers[tier] = holding(sizing.tiers[tier], held, have, windowMs);
    const surplus = have - held;
    targets[tier] = { ...sizing.targets[tier], agents: held, aboveSince: surplus > 0 ? sizing.targets[tier].aboveSince : null };
  }
  return { sizing: { ...sizing, tiers, targets }, memory: { wants, arrivals } };
}

/** The runs that started after `fromMs`: those remembered, and the live ones not yet seen (at their start, or now). */
function arrivedWithin(known: readonly RunArrival[], { runs, wallMs }: Pick<FleetObservation, 'runs' | 'wallMs'>, fromMs: number): RunArrival[] {
  const seen = new Set(known.map((arrival) => arrival.runId));
  const fresh = runs
    .filter(({ run }) => !seen.has(run.runId))
    .map(({ run }) => ({ runId: run.runId, atMs: run.provingStartedAt || wallMs }));
  return [...known, ...fresh].filter((arrival) => arrival.atMs > fromMs).sort((a, b) => a.atMs - b.atMs);
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
    why: `${decision.why}; held at ${held} agents (the most wanted in the last ${windowMs / 1_000} s, ${decision.target} now; a block arrived since)`,
  };
}
