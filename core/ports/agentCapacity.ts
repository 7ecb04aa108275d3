import type { Tier } from '../tiers.js';

export interface AgentCount {
  readonly running: number;
  readonly starting: number;
}

/** Starts and stops agents of a tier: a local pool on one machine, AWS Batch array jobs in the cloud. */
export interface AgentCapacity {
  count(tier: Tier): Promise<AgentCount>;
  /** Starts `count` more agents; `spot` false asks for on-demand capacity (deadline slack is short). */
  start(tier: Tier, count: number, options: { readonly spot: boolean; readonly reason: string }): Promise<void>;
  /** Asks up to `count` agents to stop after their current job (they also exit by themselves when idle). */
  stop(tier: Tier, count: number): Promise<void>;
}
