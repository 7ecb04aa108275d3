import type { Tier } from '../tiers.js';
import { EMPTY_HOLD_MEMORY, type HoldMemory } from './holdScaleDown.js';
import type { RunPacing } from './runPacing.js';
import type { LaunchBudget } from './shareLaunches.js';
import type { LeaveRead } from './sizeFleet.js';
import type { WidthProfile } from './widthProfile.js';

/**
 * What the scaler keeps between ticks: per live run its plan's shape (costly to derive) and its pacing state, and per
 * tier the wants the scale-down hold remembers (with the runs that arrived) and the leave counts recent ticks read,
 * and its estimate of EC2's launch bucket. All but the plans' shapes is also stored between ticks
 * (`scalerMemoryRecord`, `FleetTargets.saveScalerMemory`), since the next tick may run in another process.
 */
export interface ScalerMemory {
  readonly profiles: Map<string, WidthProfile>;
  /** Per live run, most urgent first (the order the stored record keeps when it must drop some). */
  readonly pacing: Map<string, RunPacing>;
  /** The scale-down hold's memory (`holdScaleDown`): replaced each tick. */
  held: HoldMemory;
  /** Per tier, the leave counts recent ticks read (`leaveCounts`). */
  readonly leaveReads: Map<Tier, readonly LeaveRead[]>;
  /** The scaler's estimate of EC2's launch bucket after its last asks (`shareLaunches`); null before the first. */
  launchBudget: LaunchBudget | null;
  /**
   * The stored record this process last saved or recalled: while the stored one is still it, this memory is current
   * and nothing is rebuilt; null before either.
   */
  lastRecord: string | null;
}

export function createScalerMemory(): ScalerMemory {
  return { profiles: new Map(), pacing: new Map(), held: EMPTY_HOLD_MEMORY, leaveReads: new Map(), launchBudget: null, lastRecord: null };
}
