import type { AgentCapacity } from '../ports/agentCapacity.js';
import type { FleetTargets } from '../ports/fleetTargets.js';
import type { Logger } from '../ports/logger.js';
import { TIERS } from '../tiers.js';
import { boundWork } from './boundWork.js';
import type { FleetSizing } from './sizeFleet.js';

export interface ApplyFleetSizingDependencies {
  readonly capacity: AgentCapacity;
  readonly targets: FleetTargets;
  readonly log: Logger;
}

/**
 * Acts on a tick's sizing: publishes each tier's target (agents above it leave by themselves), starts the agents a
 * tier lacks, and stops only stragglers — so scaling down costs no Batch API call unless an agent fails to leave. A
 * target lists the work of at most `MAX_PUBLISHED_RUNS` runs, the rest folded into one entry (`boundWork`).
 */
export async function applyFleetSizing(deps: ApplyFleetSizingDependencies, sizing: FleetSizing): Promise<void> {
  for (const tier of TIERS) {
    const decision = sizing.tiers[tier];
    const target = sizing.targets[tier];
    if (!(await deps.targets.put(tier, { ...target, work: boundWork(target.work) }))) {
      // A newer target is already published: this tick's view is stale, so it acts on nothing.
      deps.log.warn('a newer fleet target was published meanwhile; this tick leaves the tier alone', { tier });
      continue;
    }
    if (decision.start > 0) {
      deps.log.info('starting agents', { tier, start: decision.start, desired: decision.desired, target: decision.target, spot: decision.spot, why: decision.why });
      await deps.capacity.start(tier, decision.start, { spot: decision.spot, reason: decision.why });
    }
    if (decision.stop > 0) {
      deps.log.info('stopping stragglers', { tier, stop: decision.stop, target: decision.target, why: decision.why });
      await deps.capacity.stop(tier, decision.stop);
    }
  }
}
