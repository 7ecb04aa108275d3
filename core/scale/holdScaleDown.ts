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
 * **Only while blocks overlap.** A held agent pays off only if a block that is not here yet wants it back within the
 * window; the live runs' own needs are already in the sizing. So the hold applies only while runs keep arriving: at
 * least two runs started within the window (the one whose peak is held, and another). An isolated block — the only
 * run that started within the window — lets its peak go as soon as its work no longer wants it, and a stream's fleet
 * is released one window after the last-but-one block started. The wants are remembered either way, so the second
 * block of a stream finds the first one's peak still held.
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
  const arriving = arrivals.length >= 2;
  const tiers = { ...sizing.tiers };
  const targets = { ...sizing.targets };
  const wants = new Map<Tier, HoldHistory>();
  for (const tier of TIERS) {
    const { agents } = observation.tiers[tier];
    const have = agents.running + agents.starting;
    const wanted = sizing.tiers[tier].target;
    const seen = memory.wants.get(tier) ?? [{ atMs: wallMs, agents: have }];
    const kept = remember(seen, { atMs: wallMs, agents: wanted }, wallMs - windowMs);
    wants.set(tier, kept);
    const held = Math.min(settings.maxAgents[tier], have, kept[0]!.agents);
    if (!arriving || held <= wanted) continue;
    tiers[tier] = holding(sizing.tiers[tier], held, have, windowMs, arrivals.length);
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

function holding(decision: TierDecision, held: number, have: number, windowMs: number, arrived: number): TierDecision {
  const stop = Math.min(decision.stop, Math.max(0, have - held));
  return {
    ...decision,
    target: held,
    stop,
    why: `${decision.why}; held at ${held} agents (the most wanted in the last ${windowMs / 1_000} s, ${decision.target} now; ${arrived} runs started in it)`,
  };
}
