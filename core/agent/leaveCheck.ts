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

/** Whether an agent claims a leave now, and since when it has found one due in this spell (null: none is due). */
export interface LeaveDecision {
  readonly claim: boolean;
  readonly dueSinceMs: number | null;
}

export interface LeaveDecisionParameters {
  readonly target: PublishedTarget | null;
  /** The agent's instance as it announced itself just now; null when it cannot tell (it then claims once due). */
  readonly occupancy: InstanceOccupancy | null;
  /** What the previous decision returned (null at first, or when no leave was due then). */
  readonly dueSinceMs: number | null;
  readonly nowMs: number;
}

/**
 * The leave rule with instances that host several agents: an instance is billed while any agent is on it, so a spell
 * of leaves should empty instances whole. Once a leave is due (`leaveDue`), an agent claims one at once when its
 * instance's occupancy (fill ÷ slots) times the instance's rank (a draw its agents share) is below the tier's excess
 * share (surplus ÷ observed): every agent of a chosen instance qualifies together, the emptiest instances most often,
 * and on a full fleet about the excess share of instances qualifies. Otherwise it keeps proving and claims only once
 * it has found a leave due for `packingWaitMs`: by then the agents of emptier instances have taken the surplus and
 * its claim is refused, unless the surplus is still there. The port still grants exactly the surplus.
 */
export function leaveDecision(
  { target, occupancy, dueSinceMs, nowMs }: LeaveDecisionParameters,
  settings: Pick<AgentSettings, 'leaveGraceMs' | 'packingDelayMs'>,
): LeaveDecision {
  if (!leaveDue(target, nowMs, settings)) return { claim: false, dueSinceMs: null };
  const since = dueSinceMs ?? nowMs;
  if (occupancy === null) return { claim: true, dueSinceMs: since };
  const excessShare = surplusOf(target) / Math.max(1, target!.observed);
  const chosen = (occupancy.fill / Math.max(1, occupancy.slots)) * occupancy.rank < excessShare;
  return { claim: chosen || nowMs - since >= packingWaitMs(occupancy, settings), dueSinceMs: since };
}

/**
 * How long an agent not chosen by its instance's rank waits, from when it first found a leave due, before it claims
 * one anyway: `packingDelayMs` for each other agent on its instance (the fill counted up to its slots, so a count of
 * stale announcements cannot keep it forever). An agent alone on its instance empties it by leaving, and an instance
 * of one slot has nothing to pack: neither waits.
 */
export function packingWaitMs(occupancy: InstanceOccupancy, settings: Pick<AgentSettings, 'packingDelayMs'>): number {
  if (occupancy.slots <= 1) return 0;
  return settings.packingDelayMs * (Math.max(1, Math.min(occupancy.fill, occupancy.slots)) - 1);
}
