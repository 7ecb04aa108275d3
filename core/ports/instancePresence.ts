/** What an agent reads of the instance it runs on: how full it is, and the instance's place in the leave order. */
export interface InstanceOccupancy {
  /** Agents with a fresh announcement on this instance, the caller included (≥ 1 after `announce`). */
  readonly fill: number;
  /** Agents of the tier the instance hosts at once (its slots; 1 when an instance hosts one agent). */
  readonly slots: number;
  /**
   * The instance's rank: one draw in [0, 1), the same for every agent on the instance for its whole life. Instances
   * with lower ranks are emptied first, so a leave spell takes whole instances rather than an agent here and there.
   */
  readonly rank: number;
}

/**
 * An announcement older than this is ignored (its agent was killed without withdrawing). An agent refreshes its own
 * between jobs (every leave check) and every `PRESENCE_REFRESH_MS` while it handles one, so a live agent never goes
 * stale, however long its proof.
 */
export const PRESENCE_STALE_MS = 15 * 60_000;

/** How often an agent busy with a job refreshes its announcement: a third of the staleness, so two failed refreshes in a row still leave it counted. */
export const PRESENCE_REFRESH_MS = PRESENCE_STALE_MS / 3;

/**
 * The agents sharing one instance: each announces itself between jobs (and while busy, to stay fresh) and reads how many share the instance, so the
 * leave rule (`leaveDecision`) can empty instances whole. One object per instance (a host directory on AWS and the
 * devnet, the simulated instance in the simulator).
 */
export interface InstancePresence {
  /** Announces `agentId` on the instance at `nowMs` (or refreshes it) and reads the instance's occupancy then. */
  announce(agentId: string, nowMs: number): Promise<InstanceOccupancy>;
  /** Takes `agentId` off the instance (it exits); nothing if it was not there. */
  withdraw(agentId: string): Promise<void>;
}

/** Whether an announcement made at `announcedAt` still counts at `nowMs`. */
export function presenceFresh(announcedAt: number, nowMs: number): boolean {
  return nowMs - announcedAt <= PRESENCE_STALE_MS;
}
