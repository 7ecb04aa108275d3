import { FleetCapacityExceeded } from '../errors/capacity.js';
import type { FleetTargets, PublishedTarget } from '../ports/fleetTargets.js';
import { TIERS, type Tier } from '../tiers.js';

/** A block the fleet has to prove (or is asked to): when its work can run, when it is due, and how much is left. */
export interface BlockDemand {
  /** A run id, or `block <n>` for a block being quoted. */
  readonly key: string;
  /** L1 seconds: the earliest its work can run (now for a live run; after commitment and provisioning for a quote). */
  readonly startsAt: number;
  /** L1 seconds: its proving deadline. */
  readonly deadline: number;
  /** Expected job-seconds still to prove, per tier (wall seconds). */
  readonly workSeconds: Readonly<Record<Tier, number>>;
}

/** The fleet a firm may run: its quota per tier, and how much of an agent's time becomes proofs. */
export interface FleetQuota {
  /** Agents per tier (the compute environments' maxvCpus ÷ vCPUs per agent). */
  readonly agents: Readonly<Record<Tier, number>>;
  /**
   * Share of an agent's billed time spent proving (the rest: launch, waiting for children, idle tails). A parameter:
   * the simulator measures it (compute ÷ lower bound ≈ 1.2 gives ~0.83); lower refuses more, higher risks bonds.
   */
  readonly utilisation: number;
}

export type CapacityVerdict =
  | {
      readonly fits: true;
      /** The highest share of the fleet's capacity any window needs, with the block included (0 to 1). */
      readonly tightest: number;
    }
  | { readonly fits: false; readonly refusal: FleetCapacityExceeded };

/** The default share of agent time that becomes proofs (see `FleetQuota.utilisation`). */
export const DEFAULT_FLEET_UTILISATION = 0.8;

/**
 * Whether the fleet can prove `candidate` by its deadline on top of the blocks already committed, under the quota:
 * per tier, for every window from some block's start to some block's deadline, the work of the blocks that start in
 * the window and are due by its end must fit in `agents × utilisation × window` (the fluid earliest-deadline-first
 * test with release times: necessary for any schedule, and with the utilisation margin the scaler meets it). The
 * refusal names the tier, the window and the figures, so the sequencer and the operator can see why.
 */
export function checkFleetCapacity(
  candidate: BlockDemand,
  committed: readonly BlockDemand[],
  quota: FleetQuota,
  nowSeconds: number,
): CapacityVerdict {
  // Blocks past their deadline are lost already; they hold no capacity.
  const blocks = [...committed.filter((block) => block.deadline > nowSeconds), candidate].map((block) => ({
    ...block,
    startsAt: Math.max(nowSeconds, block.startsAt),
  }));
  let tightest = 0;
  for (const tier of TIERS) {
    const perSecond = quota.agents[tier] * quota.utilisation;
    const starts = [...new Set(blocks.map((block) => block.startsAt))];
    const deadlines = [...new Set(blocks.map((block) => block.deadline))];
    for (const from of starts) {
      for (const until of deadlines) {
        const inside = blocks.filter((block) => block.startsAt >= from && block.deadline <= until && block.workSeconds[tier] > 0);
        if (inside.length === 0) continue;
        const needed = inside.reduce((total, block) => total + block.workSeconds[tier], 0);
        const available = perSecond * Math.max(0, until - from);
        if (needed > available) {
          return {
            fits: false,
            refusal: new FleetCapacityExceeded({
              tier,
              from,
              until,
              neededSeconds: needed,
              availableSeconds: available,
              agents: quota.agents[tier],
              blocks: inside.map((block) => block.key),
            }),
          };
        }
        tightest = Math.max(tightest, needed / available);
      }
    }
  }
  return { fits: true, tightest };
}

/** The blocks the fleet is committed to, from the work the scaler last published per tier: one per live run. */
export function committedDemand(published: Readonly<Record<Tier, PublishedTarget | null>>, nowSeconds: number): BlockDemand[] {
  const byRun = new Map<string, { deadline: number; workSeconds: Record<Tier, number> }>();
  for (const tier of TIERS) {
    for (const work of published[tier]?.work ?? []) {
      const entry = byRun.get(work.runId) ?? { deadline: work.deadline, workSeconds: { heavy: 0, light: 0 } };
      entry.workSeconds[tier] += work.remainingSeconds;
      byRun.set(work.runId, entry);
    }
  }
  return [...byRun].map(([key, { deadline, workSeconds }]) => ({ key, startsAt: nowSeconds, deadline, workSeconds }));
}

/**
 * The fleet's commitments as quoting needs them: the quota and the live runs' remaining work, read from the targets
 * the scaler last published (one read per tier).
 */
export async function readFleetCommitments(
  targets: Pick<FleetTargets, 'get'>,
  quota: FleetQuota,
  nowSeconds: number,
): Promise<{ readonly quota: FleetQuota; readonly committed: BlockDemand[] }> {
  const [heavy, light] = await Promise.all([targets.get('heavy'), targets.get('light')]);
  return { quota, committed: committedDemand({ heavy, light }, nowSeconds) };
}
