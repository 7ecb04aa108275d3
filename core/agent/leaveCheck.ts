import { surplusOf, type PublishedTarget } from '../ports/fleetTargets.js';
import type { AgentSettings } from './agentSettings.js';

/**
 * Whether an agent between jobs should ask to leave: its tier runs above the published target, and has for the
 * grace (a target that dips for one tick is not worth a launch later). The leave itself is claimed from the port,
 * which grants exactly the surplus.
 */
export function leaveDue(target: PublishedTarget | null, nowMs: number, settings: Pick<AgentSettings, 'leaveGraceMs'>): boolean {
  return target !== null && target.aboveSince !== null && nowMs - target.aboveSince >= settings.leaveGraceMs && surplusOf(target) > 0;
}
