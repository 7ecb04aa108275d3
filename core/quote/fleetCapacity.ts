import { FleetCapacityExceeded, type FleetCapacityShortfall } from '../errors/capacity.js';
import type { FleetTargets, PublishedTarget } from '../ports/fleetTargets.js';
import type { SignedQuoteDemand, SignedQuotes } from '../ports/signedQuotes.js';
import { agentsReachableWithin, instancesLaunchableWithin, type LaunchRate } from '../scale/launchRate.js';
import { tierWorkWindow, UNKNOWN_SHAPE, type CriticalPathShape } from '../scale/workWindow.js';
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
  /**
   * Where each tier's work sits on the block's critical path, so each tier's window ends what must follow it before
   * the deadline (`tierWorkWindow`); `UNKNOWN_SHAPE` lets every tier run to the deadline.
   */
  readonly shape: CriticalPathShape;
  /** Seconds of its critical path the block has already run (a live run's age); 0 for a block not started. */
  readonly elapsedSeconds?: number;
}

/** How fast the fleet can grow on AWS: EC2's launch bucket, shared by both tiers, and what it is assumed to hold. */
export interface FleetLaunch {
  readonly rate: LaunchRate;
  /**
   * Tokens assumed left in EC2's RunInstances bucket when quoting. EC2 does not tell how full it is, and launches by
   * anything else in the account spend it: 0 (the refill only) is the safe default; the burst (1,000) is right only
   * for an account nothing else launches in. A parameter; its sensitivity is in docs/fleet.md.
   */
  readonly tokens: number;
}

/** The fleet a firm may run: its quota per tier, how much of an agent's time becomes proofs, how fast it can grow. */
export interface FleetQuota {
  /** Agents per tier (the agents the compute environments' maxvCpus hold, by vCPUs and registered memory: `jobsWithinVcpus`). */
  readonly agents: Readonly<Record<Tier, number>>;
  /**
   * Share of an agent's billed time spent proving (the rest: launch, waiting for children, idle tails). A parameter:
   * the simulator measures it (compute ÷ lower bound ≈ 1.2 gives ~0.83); lower refuses more, higher risks bonds.
   */
  readonly utilisation: number;
  /**
   * On AWS: agents come up only as fast as EC2 launches them, so the fleet at time t is at most the agents up now
   * plus what the bucket launches by t. Without it (the devnet's local agents) the whole quota counts as up at once.
   */
  readonly launch?: FleetLaunch;
}

/** What the fleet is already committed to, what is up now, and what it may hold: quoting never overcommits it. */
export interface FleetCommitments {
  readonly quota: FleetQuota;
  /** The committed blocks' remaining work: live runs and signed quotes whose runs have not started. */
  readonly committed: readonly BlockDemand[];
  /** Agents per tier up or starting now (the scaler's last count); absent, none (a cold fleet: the safe side). */
  readonly standing?: Readonly<Record<Tier, number>>;
}

export type CapacityVerdict =
  | {
      readonly fits: true;
      /** The highest share of the fleet's capacity any window holding the block needs, with it included (0 to 1). */
      readonly tightest: number;
    }
  | { readonly fits: false; readonly refusal: FleetCapacityExceeded };

/** The default share of agent time that becomes proofs (see `FleetQuota.utilisation`). */
export const DEFAULT_FLEET_UTILISATION = 0.8;

/** The default tokens assumed left in EC2's launch bucket when quoting (see `FleetLaunch.tokens`): none. */
export const DEFAULT_ASSUMED_LAUNCH_TOKENS = 0;

/** One block's work in one tier, and the window it must run in. */
interface TierItem {
  readonly key: string;
  readonly candidate: boolean;
  readonly from: number;
  readonly until: number;
  /** Job-seconds (agent-seconds; instance-seconds for the launch check). */
  readonly work: number;
}

/**
 * Whether the fleet can prove `candidate` by its deadline on top of the blocks already committed. Each block's work
 * in a tier runs in its window (`tierWorkWindow`: from its start plus the tier's head to its deadline less what must
 * follow the tier's work). Per tier, for every window from some block's start to some block's end that holds the
 * candidate, the work of the blocks inside must fit in what the fleet gives in it: `utilisation ×` the agent-seconds
 * of a fleet that is, at each moment, at most the quota and — on AWS — at most the agents up now plus those EC2 can
 * have launched by then (`agentsReachableWithin`). Since both tiers launch through one bucket, both together must
 * also fit in the instances the bucket can bring up. This is the fluid earliest-deadline-first test with release
 * times: necessary for any schedule, and with the utilisation margin the scaler meets it. A window without the
 * candidate is not its business (a committed block already short is not made shorter by refusing). The refusal names
 * the tier, the window and the figures, so the sequencer and the operator can see why.
 */
export function checkFleetCapacity(candidate: BlockDemand, fleet: FleetCommitments, nowSeconds: number): CapacityVerdict {
  const { quota } = fleet;
  const standing = fleet.standing ?? { heavy: 0, light: 0 };
  // Blocks past their deadline are lost already; they hold no capacity. A block quoted again replaces its quote.
  const blocks = [...fleet.committed.filter((block) => block.deadline > nowSeconds && block.key !== candidate.key), candidate];
  const items = (tier: Tier, unit: number): TierItem[] =>
    blocks
      .filter((block) => block.workSeconds[tier] > 0)
      .map((block) => {
        const window = tierWorkWindow(block.shape, tier, { startsAt: Math.max(nowSeconds, block.startsAt), deadline: block.deadline }, block.elapsedSeconds);
        const from = Math.max(nowSeconds, window.from);
        // A committed block the rule says is already late still holds capacity up to its deadline.
        const until = block === candidate || window.until > from ? window.until : block.deadline;
        return { key: block.key, candidate: block === candidate, from, until, work: block.workSeconds[tier] / unit };
      });
  const horizon = Math.max(0, ...blocks.map((block) => block.deadline - nowSeconds));
  const { launch } = quota;
  let tightest = 0;
  const check = (tierItems: readonly TierItem[], curve: FleetCurve, shortfall: Pick<FleetCapacityShortfall, 'tier' | 'agents' | 'standing'>) => {
    const starts = [...new Set(tierItems.map((item) => item.from))];
    const ends = [...new Set(tierItems.map((item) => item.until))];
    for (const from of starts) {
      for (const until of ends) {
        const inside = tierItems.filter((item) => item.from >= from && item.until <= until);
        if (!inside.some((item) => item.candidate)) continue;
        const needed = inside.reduce((total, item) => total + item.work, 0);
        const available = quota.utilisation * curve.seconds(from - nowSeconds, until - nowSeconds);
        if (needed > available) {
          return new FleetCapacityExceeded({ ...shortfall, from, until, neededSeconds: needed, availableSeconds: available, blocks: inside.map((item) => item.key) });
        }
        tightest = Math.max(tightest, needed / available);
      }
    }
    return null;
  };
  for (const tier of TIERS) {
    const cap = quota.agents[tier];
    const now = Math.min(cap, standing[tier]);
    const curve = launch
      ? fleetCurve((seconds) => now + agentsReachableWithin(launch.rate, tier, launch.tokens, seconds), cap, horizon)
      : fleetCurve(() => cap, cap, horizon);
    const refusal = check(items(tier, 1), curve, { tier, agents: cap, standing: launch ? now : null });
    if (refusal) return { fits: false, refusal };
  }
  if (launch) {
    // Both tiers' new agents come through one bucket: in instances, both together fit in what it launches.
    const perInstance = launch.rate.agentsPerInstance;
    const cap = TIERS.reduce((total, tier) => total + Math.ceil(quota.agents[tier] / perInstance[tier]), 0);
    const now = TIERS.reduce((total, tier) => total + Math.ceil(Math.min(quota.agents[tier], standing[tier]) / perInstance[tier]), 0);
    const startup = launch.rate.startupSeconds;
    const curve = fleetCurve((seconds) => now + instancesLaunchableWithin(launch.rate, launch.tokens, seconds - startup), cap, horizon);
    const refusal = check(
      TIERS.flatMap((tier) => items(tier, perInstance[tier])),
      curve,
      { tier: 'launches', agents: cap, standing: now },
    );
    if (refusal) return { fits: false, refusal };
  }
  return { fits: true, tightest };
}

/** Agent-seconds a growing fleet gives between two offsets from now. */
interface FleetCurve {
  seconds(from: number, until: number): number;
}

/**
 * The fleet over time as a step per second (`at(k)` agents through second k, never above `cap`), integrated once:
 * prefix sums until it reaches the cap (or `horizon` seconds), constant after.
 */
function fleetCurve(at: (seconds: number) => number, cap: number, horizon: number): FleetCurve {
  const level = (second: number) => Math.max(0, Math.min(cap, at(second)));
  const prefix = [0];
  let last = 0;
  while (last < horizon && level(last) < cap) {
    prefix.push(prefix[last]! + level(last));
    last++;
  }
  const after = level(last);
  const cumulative = (offset: number): number => {
    if (offset <= 0) return 0;
    if (offset >= last) return prefix[last]! + (offset - last) * after;
    const whole = Math.floor(offset);
    return prefix[whole]! + (offset - whole) * level(whole);
  };
  return { seconds: (from, until) => Math.max(0, cumulative(until) - cumulative(from)) };
}

/**
 * The live runs' remaining work, from the work the scaler last published per tier: one per run, from now. `shapes`
 * gives a run's critical-path shape and start where quoting knows them (its signed quote); unknown, its work may run
 * up to its deadline.
 */
export function committedDemand(
  published: Readonly<Record<Tier, PublishedTarget | null>>,
  nowSeconds: number,
  shapes: ReadonlyMap<string, { readonly shape: CriticalPathShape; readonly startsAt: number }> = new Map(),
): BlockDemand[] {
  const byRun = new Map<string, { deadline: number; workSeconds: Record<Tier, number> }>();
  for (const tier of TIERS) {
    for (const work of published[tier]?.work ?? []) {
      const entry = byRun.get(work.runId) ?? { deadline: work.deadline, workSeconds: { heavy: 0, light: 0 } };
      entry.workSeconds[tier] += work.remainingSeconds;
      byRun.set(work.runId, entry);
    }
  }
  return [...byRun].map(([key, { deadline, workSeconds }]) => {
    const known = shapes.get(key);
    return {
      key,
      startsAt: nowSeconds,
      deadline,
      workSeconds,
      shape: known?.shape ?? UNKNOWN_SHAPE,
      ...(known ? { elapsedSeconds: Math.max(0, nowSeconds - known.startsAt) } : {}),
    };
  });
}

/**
 * Agents per tier the scaler counted running at its last tick: the fleet that is there. Starting agents are not: on
 * AWS they may still wait for EC2's launch bucket, which `FleetLaunch` already counts. 0 when not published.
 */
export function standingAgents(published: Readonly<Record<Tier, PublishedTarget | null>>): Record<Tier, number> {
  return Object.fromEntries(TIERS.map((tier) => [tier, published[tier]?.running ?? 0])) as Record<Tier, number>;
}

/**
 * Seconds after a quote's `validUntil` by which the run of a block committed to it is in the published work: the
 * watcher starts it at the commitment, within the commit phase, and the scaler publishes its work at its next tick
 * (every 30 s; two ticks and a margin). A parameter: too short drops a taken quote's work for a moment.
 */
export const DEFAULT_QUOTE_PUBLICATION_LAG_SECONDS = 90;

/**
 * Every block the fleet is committed to: the live runs' remaining work as the scaler last published it (with the
 * shape and start of the quote each was signed for), and each signed quote whose run is not published yet, all of
 * its work, while it may still be taken — until `lagSeconds` after its `validUntil`; a quote nobody took then binds
 * nothing.
 */
export function committedBlocks(
  published: Readonly<Record<Tier, PublishedTarget | null>>,
  signed: readonly SignedQuoteDemand[],
  nowSeconds: number,
  lagSeconds = DEFAULT_QUOTE_PUBLICATION_LAG_SECONDS,
): BlockDemand[] {
  const running = committedDemand(published, nowSeconds, new Map(signed.map((quote) => [quote.key, quote])));
  const inTargets = new Set(running.map((run) => run.key));
  const pending = signed
    .filter((quote) => !inTargets.has(quote.key) && nowSeconds < quote.validUntil + lagSeconds && quote.deadline > nowSeconds)
    .map(({ key, startsAt, deadline, workSeconds, shape }): BlockDemand => ({ key, startsAt, deadline, workSeconds, shape }));
  return [...running, ...pending];
}

/**
 * The fleet's commitments as quoting needs them: the quota, the agents up now, the live runs' remaining work read
 * from the targets the scaler last published (one read per tier) and the quotes signed but not yet running.
 */
export async function readFleetCommitments(
  sources: { readonly targets: Pick<FleetTargets, 'get'>; readonly quotes?: Pick<SignedQuotes, 'list'> },
  quota: FleetQuota,
  nowSeconds: number,
): Promise<FleetCommitments> {
  const [heavy, light, signed] = await Promise.all([sources.targets.get('heavy'), sources.targets.get('light'), sources.quotes?.list(nowSeconds) ?? []]);
  const published = { heavy, light };
  return { quota, committed: committedBlocks(published, signed, nowSeconds), standing: standingAgents(published) };
}
