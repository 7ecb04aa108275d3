import type { PublishedTarget } from '../ports/fleetTargets.js';
import type { AgentSettings } from './agentSettings.js';

/**
 * Whether an agent idle since `idleSince` (its start, or the end of its last job) has waited long enough to exit.
 * A fresh target that still wants agents in the tier keeps it: the scaler holds agents a stream of blocks will need
 * again (`holdScaleDown`), and one that exited would come back through EC2's launch rate. Agents above the target
 * leave by the leave rule instead (`leaveDue`). Without a target, or with one published more than `idleExitMs` (plus
 * one `leaveCheckMs` of read lag) ago — the scaler stopped ticking — the idle exit is the safety net.
 *
 * `target` is the last one the agent read (at most `leaveCheckMs` old); `null` when it read none.
 */
export function idleExitDue(
  idleSince: number,
  now: number,
  settings: Pick<AgentSettings, 'idleExitMs' | 'leaveCheckMs'>,
  target: PublishedTarget | null,
): boolean {
  if (now - idleSince < settings.idleExitMs) return false;
  // The agent re-reads the target every leaveCheckMs, so the one in hand may be that much older than the latest.
  const kept = target !== null && target.agents > 0 && now - target.publishedAt < settings.idleExitMs + settings.leaveCheckMs;
  return !kept;
}
