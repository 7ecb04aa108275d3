import { presenceFresh, type InstancePresence } from '../../core/ports/instancePresence.js';
import type { Synchronous } from '../../core/ports/synchronous.js';

/**
 * One instance's presence in this process, answered at once: the simulator keeps one per simulated instance (its
 * agents are a synchronous state machine), and tests use it through `createMemoryInstancePresence`.
 */
export function createSyncInstancePresence({ slots, rank }: { readonly slots: number; readonly rank: number }): Synchronous<InstancePresence> {
  const announced = new Map<string, number>();
  return {
    announce(agentId, nowMs) {
      announced.set(agentId, nowMs);
      let fill = 0;
      for (const at of announced.values()) if (presenceFresh(at, nowMs)) fill++;
      return { fill, slots, rank };
    },
    withdraw(agentId) {
      announced.delete(agentId);
    },
  };
}

/** The same, through the port's promises. */
export function createMemoryInstancePresence(instance: { readonly slots: number; readonly rank: number }): InstancePresence {
  const presence = createSyncInstancePresence(instance);
  return {
    announce: async (agentId, nowMs) => presence.announce(agentId, nowMs),
    withdraw: async (agentId) => presence.withdraw(agentId),
  };
}
