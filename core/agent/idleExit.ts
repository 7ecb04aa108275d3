import type { AgentSettings } from './agentSettings.js';

/** Whether an agent idle since `idleSince` (its start, or the end of its last job) has waited long enough to exit. */
export function idleExitDue(idleSince: number, now: number, settings: Pick<AgentSettings, 'idleExitMs'>): boolean {
  return now - idleSince >= settings.idleExitMs;
}
