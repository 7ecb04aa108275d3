import type { RunPacing } from './runPacing.js';
import type { WidthProfile } from './widthProfile.js';

/** What the scaler keeps between ticks, per live run: its plan's shape (costly to derive) and its pacing state. */
export interface ScalerMemory {
  readonly profiles: Map<string, WidthProfile>;
  readonly pacing: Map<string, RunPacing>;
}

export function createScalerMemory(): ScalerMemory {
  return { profiles: new Map(), pacing: new Map() };
}
