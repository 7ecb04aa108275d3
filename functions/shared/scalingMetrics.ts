import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AgentCapacity, AgentCount } from '../../core/ports/agentCapacity.js';
import type { TierDecision } from '../../core/scale/sizeTier.js';
import type { Tier } from '../../core/tiers.js';

export interface ScalingMetrics {
  /** The same dependencies, whose capacity port remembers the agent counts the tick reads (no extra Batch calls). */
  observing<Deps extends { readonly capacity: AgentCapacity }>(deps: Deps): Deps;
  /** Emits the tick's metrics: agents per tier, whether the deadline is at risk, seconds to the run's deadline. */
  publish(decisions: Readonly<Record<Tier, TierDecision>>, secondsToDeadline: number | null): void;
}

/**
 * The scaler's CloudWatch metrics as EMF log lines (Powertools), for the dashboard and the deadline-at-risk alarm
 * (infra/constructs/provingObservability.ts): AgentsRunning and AgentsStarting per tier, DeadlineAtRisk (1 when a tier
 * is bought on demand because the slack is short), SecondsToDeadline. Off unless POWERTOOLS_METRICS_NAMESPACE is set,
 * as it is on AWS, so local runs print no metric lines.
 */
export function scalingMetrics(env: NodeJS.ProcessEnv, service: string): ScalingMetrics {
  const namespace = env.POWERTOOLS_METRICS_NAMESPACE;
  const counted = new Map<Tier, AgentCount>();
  if (!namespace) return { observing: (deps) => deps, publish: () => undefined };
  const metrics = new Metrics({ namespace, serviceName: service });
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
      for (const [tier, agents] of counted) {
        const perTier = new Metrics({ namespace, serviceName: service });
        perTier.addDimension('Tier', tier);
        perTier.addMetric('AgentsRunning', MetricUnit.Count, agents.running);
        perTier.addMetric('AgentsStarting', MetricUnit.Count, agents.starting);
        perTier.publishStoredMetrics();
      }
      counted.clear();
      metrics.addMetric('DeadlineAtRisk', MetricUnit.Count, Object.values(decisions).some((decision) => !decision.spot) ? 1 : 0);
      if (secondsToDeadline !== null) metrics.addMetric('SecondsToDeadline', MetricUnit.Seconds, secondsToDeadline);
      metrics.publishStoredMetrics();
    },
  };
}
