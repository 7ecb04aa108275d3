import type { Tier } from '../tiers.js';
import { ProverBurstError } from './base.js';

/** What a capacity refusal found: the tier and window that would overflow, and the figures. */
export interface FleetCapacityShortfall {
  readonly tier: Tier;
  /** The window, L1 seconds. */
  readonly from: number;
  readonly until: number;
  /** Expected job-seconds due in the window, and what the quota gives in it. */
  readonly neededSeconds: number;
  readonly availableSeconds: number;
  readonly agents: number;
  /** The blocks due in the window (run ids, and the block being quoted). */
  readonly blocks: readonly string[];
}

/**
 * The fleet cannot prove a block by its deadline under its quota on top of the blocks already committed: a quote
 * (or an open-race run) is refused so that no committed block is lost for lack of capacity.
 */
export class FleetCapacityExceeded extends ProverBurstError {
  override name = 'FleetCapacityExceeded';
  readonly shortfall: FleetCapacityShortfall;

  constructor(shortfall: FleetCapacityShortfall) {
    const { tier, from, until, neededSeconds, availableSeconds, agents, blocks } = shortfall;
    super(
      `the ${tier} tier would need ${Math.ceil(neededSeconds)} agent-seconds for ${blocks.length} block(s) due between ` +
        `L1 ${from} and ${until}, but its quota of ${agents} agents gives ${Math.floor(availableSeconds)}`,
      { ...shortfall },
    );
    this.shortfall = shortfall;
  }
}
