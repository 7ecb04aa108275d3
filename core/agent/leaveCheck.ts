import { surplusOf, type PublishedTarget } from '../ports/fleetTargets.js';
import type { InstanceOccupancy } from '../ports/instancePresence.js';
import type { AgentSettings } from './agentSettings.js';

/**
 * Whether an agent between jobs should ask to leave: its tier runs above the published target, has for the grace,
 * and a publication after the one that went above still says so — a target that dips for one scaling tick is not
 * acted on, however long the ticks are apart. A target for no live run (no work, no agents: no tick will follow it)
 * needs only the grace. The leave itself is claimed from the port, which grants exactly the surplus.
 */
export function leaveDue(target: PublishedTarget | null, nowMs: number, settings: Pick<AgentSettings, 'leaveGraceMs'>): boolean {
  if (target === null || target.aboveSince === null || surplusOf(target) <= 0) return false;
  const idle = target.agents === 0 && target.work.length === 0;
  const confirmed = idle || target.publishedAt > target.aboveSince;
  return confirmed && nowMs - target.aboveSince >= settings.leaveGraceMs;
}

/**
 * What an agent remembers of a spell of leaves: its tier has run above its target since `aboveSince` (the target's),
 * the most agents the scaler counted in it during the spell as far as this agent saw, and when it first saw the spell.
 */
export interface LeaveSpell {
  readonly aboveSince: number;
  readonly peakObserved: number;
  readonly seenAtMs: number;
}

/** Whether an agent claims a leave now, and the spell it remembers for its next check (null: none under way). */
export interface LeaveDecision {
  readonly claim: boolean;
  readonly spell: LeaveSpell | null;
}

export interface LeaveDecisionParameters {
  readonly target: PublishedTarget | null;
  /** The agent's instance as it announced itself just now; null when it cannot tell (it then claims once due). */
  readonly occupancy: InstanceOccupancy | null;
  /** What the previous decision returned (null at the agent's first check). */
  readonly spell: LeaveSpell | null;
  readonly nowMs: number;
}

/**
 * The leave rule with instances that host several agents: an instance is billed while any agent is on it, so a spell
 * of leaves should empty instances whole, in one order. Each instance has a rank (a draw its agents share for its
 * life). Once a leave is due (`leaveDue`), an agent claims one at once when its instance's occupancy (fill ÷ slots)
 * times its rank is below the share of the spell's peak the target no longer wants (1 − target ÷ the most agents
 * counted in the spell): on a full fleet that is the instances ranked below that share, whole, and as the target falls
 * tick by tick the same order goes on (the instances ranked lower have gone already); an emptier instance goes sooner
 * than its rank alone says. Otherwise the agent keeps proving and claims only once it has seen the spell for
 * `packingWaitMs`, in case the ranks left the surplus unclaimed. The port still grants exactly the surplus.
 */
export function leaveDecision(
  { target, occupancy, spell, nowMs }: LeaveDecisionParameters,
  settings: Pick<AgentSettings, 'leaveGraceMs' | 'packingDelayMs'>,
): LeaveDecision {
  if (target === null || target.aboveSince === null) return { claim: false, spell: null };
  const same = spell !== null && spell.aboveSince === target.aboveSince;
  const current: LeaveSpell = {
    aboveSince: target.aboveSince,
    peakObserved: Math.max(target.observed, same ? spell.peakObserved : 0),
    seenAtMs: same ? spell.seenAtMs : nowMs,
  };
  if (!leaveDue(target, nowMs, settings)) return { claim: false, spell: current };
  if (occupancy === null) return { claim: true, spell: current };
  const goneShare = 1 - target.agents / Math.max(1, current.peakObserved);
  // Occupancy is capped at full: stale announcements or a host whose slots were counted low never make it more.
  const slots = Math.max(1, occupancy.slots);
  const chosen = (Math.min(occupancy.fill, slots) / slots) * occupancy.rank < goneShare;
  return { claim: chosen || nowMs - current.seenAtMs >= packingWaitMs(occupancy, settings), spell: current };
}

/**
 * How long an agent not chosen by its instance's rank waits, from when it first saw the spell, before it claims
 * one anyway: `packingDelayMs` for each other agent on its instance (the fill counted up to its slots, so a count of
 * stale announcements cannot keep it forever). An agent alone on its instance empties it by leaving, and an instance
 * of one slot has nothing to pack: neither waits.
 */
export function packingWaitMs(occupancy: InstanceOccupancy, settings: Pick<AgentSettings, 'packingDelayMs'>): number {
  if (occupancy.slots <= 1) return 0;
  return settings.packingDelayMs * (Math.max(1, Math.min(occupancy.fill, occupancy.slots)) - 1);
}
