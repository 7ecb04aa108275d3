import type { Tier } from '../tiers.js';
import { ProverBurstError } from './base.js';

/** What a capacity refusal found: the tier and window that would overflow, and the figures. */
export interface FleetCapacityShortfall {
  /** The tier short of agents, or `launches` when EC2's launch bucket, shared by both tiers, cannot bring up both. */
  readonly tier: Tier | 'launches';
  /** The window, L1 seconds. */
  readonly from: number;
  readonly until: number;
  /**
   * Expected job-seconds due in the window, and what the fleet gives in it (agent-seconds of the tier; for
   * `launches`, instance-seconds of both tiers together).
   */
  readonly neededSeconds: number;
  readonly availableSeconds: number;
  /** The tier's quota in agents (for `launches`, both tiers' quotas in instances). */
  readonly agents: number;
  /** Agents (instances for `launches`) up or starting when the check ran; null when the whole quota counts as up. */
  readonly standing: number | null;
  /** The blocks due in the window (run ids, and the block being quoted). */
  readonly blocks: readonly string[];
}

/**
 * The fleet cannot prove a block by its deadline on top of the blocks already committed — under its quota and, on
 * AWS, with no more agents than are up now plus what EC2 can launch in time: a quote (or an open-race run) is
 * refused so that no committed block is lost for lack of capacity.
 */
export class FleetCapacityExceeded extends ProverBurstError {
  override name = 'FleetCapacityExceeded';
  readonly shortfall: FleetCapacityShortfall;

  constructor(shortfall: FleetCapacityShortfall) {
    const { tier, from, until, neededSeconds, availableSeconds, agents, standing, blocks } = shortfall;
    const unit = tier === 'launches' ? 'instance-seconds' : 'agent-seconds';
    const who = tier === 'launches' ? 'both tiers (one EC2 launch bucket)' : `the ${tier} tier`;
    const fleet =
      standing === null
        ? `its quota of ${agents} agents gives`
        : `the fleet it can have up (${standing} ${tier === 'launches' ? 'instances' : 'agents'} now, at most ${agents}, the rest launched through EC2's bucket) gives`;
    super(
      `${who} would need ${Math.ceil(neededSeconds)} ${unit} for ${blocks.length} block(s) due between ` +
        `L1 ${from} and ${until}, but ${fleet} ${Math.floor(availableSeconds)}`,
      { ...shortfall },
    );
    this.shortfall = shortfall;
  }
}
