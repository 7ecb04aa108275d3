import type { Tier } from '../tiers.js';

/** How capacity follows demand; one validated object from the edge. */
export interface ScalingSettings {
  readonly minAgents: Readonly<Record<Tier, number>>;
  readonly maxAgents: Readonly<Record<Tier, number>>;
  /** How far ahead of the ideal schedule to provision: about an agent's launch latency (seconds of profile time). */
  readonly horizonSeconds: number;
  readonly urgentSlackSeconds: number;
  /** Wall seconds one expected second of proving takes (the devnet's time scale; 1 in the cloud). */
  readonly secondsPerExpectedSecond: number;
}
