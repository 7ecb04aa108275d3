import type { AgentCapacity, AgentCount } from '../../core/ports/agentCapacity.js';
import type { Tier } from '../../core/tiers.js';

/** Agent capacity for unit tests: started agents run at once, and every start and stop is recorded. */
export interface CountingCapacity extends AgentCapacity {
  /** Agents per tier; a test may set them to stage a fleet. */
  readonly agents: Record<Tier, AgentCount>;
  readonly starts: { readonly tier: Tier; readonly count: number; readonly spot: boolean; readonly reason: string }[];
  readonly stops: { readonly tier: Tier; readonly count: number }[];
}

export function countingCapacity(): CountingCapacity {
  const agents: Record<Tier, AgentCount> = { heavy: { running: 0, starting: 0 }, light: { running: 0, starting: 0 } };
  const starts: CountingCapacity['starts'] = [];
  const stops: CountingCapacity['stops'] = [];
  return {
    agents,
    starts,
    stops,
    async count(tier) {
      return agents[tier];
    },
    async start(tier, count, { spot, reason }) {
      starts.push({ tier, count, spot, reason });
      agents[tier] = { ...agents[tier], running: agents[tier].running + count };
    },
    async stop(tier, count) {
      stops.push({ tier, count });
      const { running, starting } = agents[tier];
      const fromStarting = Math.min(starting, count);
      agents[tier] = { starting: starting - fromStarting, running: Math.max(0, running - (count - fromStarting)) };
    },
  };
}
