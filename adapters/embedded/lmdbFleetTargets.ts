import { open, type RootDatabase } from 'lmdb';
import { surplusOf, type FleetTargets, type PublishedTarget } from '../../core/ports/fleetTargets.js';
import { checkScalerMemorySize } from '../../core/scale/scalerMemoryRecord.js';
import type { Tier } from '../../core/tiers.js';
import { holdsTick, mayReplace } from './memoryFleetTargets.js';

export interface LmdbFleetTargets extends FleetTargets {
  close(): Promise<void>;
}

/** The scaling tick's lease, beside the tiers' targets. */
interface TickLease {
  readonly tickUntil: number;
}

/** The scaler's memory, saved by the tick holding the lease. */
interface StoredScalerMemory {
  readonly record: string;
}

const TICK = 'tick';
const SCALER_MEMORY = 'scaler-memory';

/**
 * Fleet targets on disk (LMDB), for agents in other processes on one machine (the devnet's agent processes, the
 * embedded harness): a claim, a put and the tick's lease are each one LMDB transaction, so leaves are granted for
 * exactly the surplus and one tick runs at a time across processes. The scaler's memory is one more key, written in the
 * transaction that checks the lease.
 */
export function openLmdbFleetTargets(path: string): LmdbFleetTargets {
  const root: RootDatabase<PublishedTarget | TickLease | StoredScalerMemory, string> = open({ path, compression: false, noMetaSync: true });
  const target = (tier: Tier) => (root.get(tier) as PublishedTarget | undefined) ?? null;
  const tickUntil = () => (root.get(TICK) as TickLease | undefined)?.tickUntil ?? -Infinity;
  return {
    async get(tier) {
      return target(tier);
    },
    put(tier, next, condition) {
      return root.transaction(() => {
        const current = target(tier);
        if (!mayReplace(current, next, condition)) return false;
        void root.put(tier, { ...next, work: [...next.work], left: current?.left ?? 0 });
        return true;
      });
    },
    claimLeave(tier) {
      return root.transaction(() => {
        const current = target(tier);
        if (!current || surplusOf(current) <= 0) return false;
        void root.put(tier, { ...current, left: current.left + 1 });
        return true;
      });
    },
    claimTick(nowMs, untilMs) {
      return root.transaction(() => {
        if (tickUntil() > nowMs) return false;
        void root.put(TICK, { tickUntil: untilMs });
        return true;
      });
    },
    async endTick(untilMs, nowMs) {
      await root.transaction(() => {
        if (tickUntil() === untilMs) void root.put(TICK, { tickUntil: nowMs });
      });
    },
    async loadScalerMemory() {
      return (root.get(SCALER_MEMORY) as StoredScalerMemory | undefined)?.record ?? null;
    },
    async saveScalerMemory(record, untilMs) {
      checkScalerMemorySize(record);
      return root.transaction(() => {
        if (!holdsTick(tickUntil(), untilMs)) return false;
        void root.put(SCALER_MEMORY, { record });
        return true;
      });
    },
    close: () => root.close(),
  };
}
