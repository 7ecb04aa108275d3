import { open, type RootDatabase } from 'lmdb';
import type { FleetTargets, PublishedTarget } from '../../core/ports/fleetTargets.js';
import type { Tier } from '../../core/tiers.js';

export interface LmdbFleetTargets extends FleetTargets {
  close(): Promise<void>;
}

/**
 * Fleet targets on disk (LMDB), for agents in other processes on one machine (the devnet's agent processes, the
 * embedded harness): a claim is one LMDB transaction, so leaves are granted for exactly the surplus across processes.
 */
export function openLmdbFleetTargets(path: string): LmdbFleetTargets {
  const root: RootDatabase<PublishedTarget, Tier> = open({ path, compression: false, noMetaSync: true });
  return {
    async get(tier) {
      return root.get(tier) ?? null;
    },
    async put(tier, target) {
      await root.put(tier, { ...target, work: [...target.work], leaving: 0 });
    },
    claimLeave(tier) {
      return root.transaction(() => {
        const target = root.get(tier);
        if (!target || target.observed - target.leaving <= target.agents) return false;
        void root.put(tier, { ...target, leaving: target.leaving + 1 });
        return true;
      });
    },
    close: () => root.close(),
  };
}
