import type { AgentCapacity } from '../../core/ports/agentCapacity.js';
import type { WorkQueue } from '../../core/ports/workQueue.js';
import { TIERS, type Tier } from '../../core/tiers.js';

export interface ReactiveScaleSettings {
  /** Messages (ready + in flight) one agent is sized for. */
  readonly messagesPerAgent: number;
  readonly maxAgents: Readonly<Record<Tier, number>>;
  /**
   * KEDA's scale-down: stop agents beyond the most desired over this window (its `cooldownPeriod` and the HPA's
   * scale-down stabilisation window, 300 s by default). Absent: the baseline never stops agents and leaves scale-down
   * to the agents' idle exit.
   */
  readonly cooldownMs?: number;
}

/** One tick of the reactive baseline at `now` (epoch ms). */
export type ReactiveScaler = (queue: WorkQueue, capacity: AgentCapacity, now: number) => Promise<void>;

/**
 * The reactive baseline, as a KEDA SQS scaler drives a deployment: desired = ceil(messages / target) per tier,
 * counting in-flight messages, capped at the maximum; it adds the difference (on Spot) and never looks at the DAG or
 * the deadline. Without a cooldown, scale-down is left to the agents' idle exit; with one, agents beyond the most
 * desired over the cooldown window are stopped through the capacity port (Batch calls, as KEDA's would be).
 */
export function reactiveScaler(settings: ReactiveScaleSettings): ReactiveScaler {
  const history: Record<Tier, { at: number; desired: number }[]> = { heavy: [], light: [] };
  return async (queue, capacity, now) => {
    for (const tier of TIERS) {
      const [depth, agents] = await Promise.all([queue.depth(tier), capacity.count(tier)]);
      const desired = Math.min(settings.maxAgents[tier], Math.ceil((depth.ready + depth.inFlight) / settings.messagesPerAgent));
      const have = agents.running + agents.starting;
      if (desired > have) await capacity.start(tier, desired - have, { spot: true, reason: `reactive: ${depth.ready + depth.inFlight} messages` });
      if (settings.cooldownMs === undefined) continue;
      const seen = history[tier];
      seen.push({ at: now, desired });
      while (seen.length > 0 && seen[0]!.at < now - settings.cooldownMs) seen.shift();
      const keep = Math.max(...seen.map((entry) => entry.desired));
      if (have > keep) await capacity.stop(tier, have - keep);
    }
  };
}
