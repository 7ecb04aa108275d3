import { surplusOf, type PublishedTarget } from '../ports/fleetTargets.js';
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
