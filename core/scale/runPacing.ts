import type { ReferenceSchedule } from './referenceSchedule.js';

/** What the scaler keeps about a run between ticks (seconds on the run's axis: since proving started). */
export interface RunPacing {
  /** The schedule it aims for, fixed at its first tick. */
  readonly reference: ReferenceSchedule;
  /** When it means the root proof to be done. */
  readonly finishAt: number;
  /** When the agents asked for at the first tick were expected to be working. */
  readonly startsAt: number;
  /** How far the run is behind the reference (negative when ahead), from its source tiers' progress. */
  readonly lagSeconds: number;
}
