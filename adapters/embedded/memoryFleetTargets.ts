import { surplusOf, type FleetTargets, type PublishedTarget, type PutCondition, type TierTarget } from '../../core/ports/fleetTargets.js';
import type { Synchronous } from '../../core/ports/synchronous.js';
import { checkScalerMemorySize } from '../../core/scale/scalerMemoryRecord.js';
import type { Tier } from '../../core/tiers.js';

/**
 * Fleet targets in this process, answered at once: what the simulator's agents (a synchronous state machine) read.
 * Targets are soft state (the scaler rewrites them every tick), so keeping them in memory loses nothing a restart
 * does not rebuild.
 */
export function createSyncFleetTargets(): Synchronous<FleetTargets> {
  const targets = new Map<Tier, PublishedTarget>();
  let tickUntil = -Infinity;
  let scalerMemory: string | null = null;
  return {
    get: (tier) => targets.get(tier) ?? null,
    put(tier, target, condition) {
      const current = targets.get(tier) ?? null;
      if (!mayReplace(current, target, condition)) return false;
      targets.set(tier, { ...target, work: [...target.work], left: current?.left ?? 0 });
      return true;
    },
    claimLeave(tier) {
      const target = targets.get(tier) ?? null;
      if (!target || surplusOf(target) <= 0) return false;
      targets.set(tier, { ...target, left: target.left + 1 });
      return true;
    },
    claimTick(nowMs, untilMs) {
      if (tickUntil > nowMs) return false;
      tickUntil = untilMs;
      return true;
    },
    endTick(untilMs, nowMs) {
      if (tickUntil === untilMs) tickUntil = nowMs;
    },
    loadScalerMemory: () => scalerMemory,
    saveScalerMemory(record, untilMs) {
      checkScalerMemorySize(record);
      if (!holdsTick(tickUntil, untilMs)) return false;
      scalerMemory = record;
      return true;
    },
  };
}

/** The port's rule for `put`: only a newer target, and only over the one the caller read when it names one. */
export function mayReplace(current: PublishedTarget | null, target: TierTarget, condition: PutCondition = {}): boolean {
  if (condition.ifPublishedAt !== undefined && (current?.publishedAt ?? null) !== condition.ifPublishedAt) return false;
  return current === null || current.publishedAt < target.publishedAt;
}

/**
 * Whether the tick lease taken with `untilMs` is still the caller's: not given back, nor taken by another tick (every
 * claim and every end writes a new `tickUntil`), expired or not.
 */
export function holdsTick(tickUntil: number, untilMs: number): boolean {
  return tickUntil === untilMs;
}

/** Fleet targets in this process, as the port: the unit tests' and the simulator's scaler. */
export function createMemoryFleetTargets(sync: Synchronous<FleetTargets> = createSyncFleetTargets()): FleetTargets {
  return {
    get: async (tier) => sync.get(tier),
    put: async (tier, target, condition) => sync.put(tier, target, condition),
    claimLeave: async (tier) => sync.claimLeave(tier),
    claimTick: async (nowMs, untilMs) => sync.claimTick(nowMs, untilMs),
    endTick: async (untilMs, nowMs) => sync.endTick(untilMs, nowMs),
    loadScalerMemory: async () => sync.loadScalerMemory(),
    saveScalerMemory: async (record, untilMs) => sync.saveScalerMemory(record, untilMs),
  };
}
