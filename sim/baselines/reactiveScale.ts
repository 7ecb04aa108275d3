import type { AgentCapacity } from '../../core/ports/agentCapacity.js';
import type { WorkQueue } from '../../core/ports/workQueue.js';
import { TIERS, type Tier } from '../../core/tiers.js';

export interface ReactiveScaleSettings {
  /** Messages (ready + in flight) one agent is sized for. */
  readonly messagesPerAgent: number;
  readonly maxAgents: Readonly<Record<Tier, number>>;
}

/**
 * The reactive baseline's tick, as a KEDA SQS scaler drives a deployment: desired = ceil(messages / target) per
 * tier, counting in-flight messages, capped at the maximum; it adds the difference (on Spot) and never looks at the
 * DAG or the deadline. Scale-down is left to the agents' idle exit, as the same agents do under the real scaler.
 */
export async function reactiveScale(queue: WorkQueue, capacity: AgentCapacity, settings: ReactiveScaleSettings): Promise<void> {
  for (const tier of TIERS) {
    const [depth, agents] = await Promise.all([queue.depth(tier), capacity.count(tier)]);
    const desired = Math.min(settings.maxAgents[tier], Math.ceil((depth.ready + depth.inFlight) / settings.messagesPerAgent));
    const missing = desired - agents.running - agents.starting;
    if (missing > 0) await capacity.start(tier, missing, { spot: true, reason: `reactive: ${depth.ready + depth.inFlight} messages` });
  }
}
