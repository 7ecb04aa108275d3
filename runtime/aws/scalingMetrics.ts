import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { AgentCapacity, AgentCount } from '../../core/ports/agentCapacity.js';
import type { TierDecision } from '../../core/scale/sizeFleet.js';
import type { Tier } from '../../core/tiers.js';

export interface ScalingMetrics {
  /** The same dependencies, whose capacity port remembers the agent counts the tick reads (no extra Batch calls). */
  observing<Deps extends { readonly capacity: AgentCapacity }>(deps: Deps): Deps;
  /**
   * Emits the tick's metrics: agents per tier, whether the deadline is at risk, seconds to the run's deadline. Without
   * decisions (another run's tick held the fleet's lease) only the seconds to the deadline.
   */
  publish(decisions: Readonly<Record<Tier, TierDecision>> | null, secondsToDeadline: number | null): void;
}

/**
 * The scaler's CloudWatch metrics as EMF log lines (Powertools), for the dashboard and the deadline-at-risk alarm
 * (infra/constructs/provingObservability.ts): AgentsRunning and AgentsStarting per tier, DeadlineAtRisk (1 when a tier
 * is bought on demand because the slack is short), SecondsToDeadline. On the function's one metrics instance
 * (functionObservability): none without POWERTOOLS_METRICS_NAMESPACE, as in local runs.
 */
export function scalingMetrics(metrics: Metrics | null): ScalingMetrics {
  const counted = new Map<Tier, AgentCount>();
  if (!metrics) return { observing: (deps) => deps, publish: () => undefined };
  return {
    observing(deps) {
      const { capacity } = deps;
      const count = async (tier: Tier) => {
        const agents = await capacity.count(tier);
        counted.set(tier, agents);
        return agents;
      };
      return { ...deps, capacity: { count, start: capacity.start.bind(capacity), stop: capacity.stop.bind(capacity) } };
    },
    publish(decisions, secondsToDeadline) {
      // One EMF line per tier (the same metric names under another Tier), each flushed before the next: a flush clears
      // the Tier dimension and keeps the service.
      for (const [tier, agents] of counted) {
        metrics.addDimension('Tier', tier);
        metrics.addMetric('AgentsRunning', MetricUnit.Count, agents.running);
        metrics.addMetric('AgentsStarting', MetricUnit.Count, agents.starting);
        metrics.publishStoredMetrics();
      }
      counted.clear();
      if (decisions) metrics.addMetric('DeadlineAtRisk', MetricUnit.Count, Object.values(decisions).some((decision) => !decision.spot) ? 1 : 0);
      if (secondsToDeadline !== null) metrics.addMetric('SecondsToDeadline', MetricUnit.Seconds, secondsToDeadline);
      metrics.publishStoredMetrics();
    },
  };
}
