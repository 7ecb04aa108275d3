import type { Tier } from '../tiers.js';
import type { ReferenceSchedule, SourceCapacity } from './referenceSchedule.js';

/** What the scaler keeps about a run between ticks (seconds on the run's axis: since proving started). */
export interface RunPacing {
  /** The schedule it aims for, fixed at its first tick. */
  readonly reference: ReferenceSchedule;
  /**
   * The source capacity `reference` was simulated with: with the run's plan it rebuilds the same reference, so a
   * scaler that recalls the run from its stored memory (`scalerMemoryRecord`) paces it as the one that planned it.
   */
  readonly capacity: Readonly<Record<Tier, SourceCapacity>>;
  /** When it means the root proof to be done. */
  readonly finishAt: number;
  /** When the agents asked for at the first tick were expected to be working. */
  readonly startsAt: number;
  /** How far the run is behind the reference (negative when ahead), from its source tiers' progress. */
  readonly lagSeconds: number;
}
