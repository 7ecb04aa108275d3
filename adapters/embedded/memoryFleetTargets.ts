import type { FleetTargets, PublishedTarget } from '../../core/ports/fleetTargets.js';
import type { Synchronous } from '../../core/ports/synchronous.js';
import type { Tier } from '../../core/tiers.js';

/**
 * Fleet targets in this process, answered at once: what the simulator's agents (a synchronous state machine) read.
 * Targets are soft state (the scaler rewrites them every tick), so keeping them in memory loses nothing a restart
 * does not rebuild.
 */
export function createSyncFleetTargets(): Synchronous<FleetTargets> {
  const targets = new Map<Tier, PublishedTarget>();
  return {
    get: (tier) => targets.get(tier) ?? null,
    put(tier, target) {
      targets.set(tier, { ...target, work: [...target.work], leaving: 0 });
    },
    claimLeave(tier) {
      const target = targets.get(tier);
      if (!target || target.observed - target.leaving <= target.agents) return false;
      targets.set(tier, { ...target, leaving: target.leaving + 1 });
      return true;
    },
  };
}

/** Fleet targets in this process, as the port: the unit tests' and the simulator's scaler. */
export function createMemoryFleetTargets(sync: Synchronous<FleetTargets> = createSyncFleetTargets()): FleetTargets {
  return {
    get: async (tier) => sync.get(tier),
    put: async (tier, target) => sync.put(tier, target),
    claimLeave: async (tier) => sync.claimLeave(tier),
  };
}
