import type { Tier } from '../tiers.js';
import type { HoldHistory } from './holdScaleDown.js';
import type { RunPacing } from './runPacing.js';
import type { WidthProfile } from './widthProfile.js';

/**
 * What the scaler keeps between ticks: per live run its plan's shape (costly to derive) and its pacing state, and per
 * tier the wants the scale-down hold remembers.
 */
export interface ScalerMemory {
  readonly profiles: Map<string, WidthProfile>;
  readonly pacing: Map<string, RunPacing>;
  readonly held: Map<Tier, HoldHistory>;
}

export function createScalerMemory(): ScalerMemory {
  return { profiles: new Map(), pacing: new Map(), held: new Map() };
}
