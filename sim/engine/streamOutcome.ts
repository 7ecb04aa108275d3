import { TIERS, type Tier } from '../../core/tiers.js';
import { agentUsdPerHour, tierInstanceType } from '../model/instanceSlots.js';
import type { SimModel } from '../model/model.js';
import { controlPlaneCostUsd, type ControlPlaneCounts } from '../world/controlPlaneMeter.js';
import type { Fleet, Instance } from '../world/fleet.js';
import { SIM_EPOCH_MS } from './eventLoop.js';
import type { ProofLedger } from './proofLedger.js';
import { breakdownTotal, costBreakdown, type CostBreakdown, type CostRow } from '../report/costBreakdown.js';
import type { StreamFault, StreamParameters } from './simulateStream.js';

export interface StreamBlock {
  readonly index: number;
  readonly txs: number;
  readonly jobs: number;
  readonly revealedAtSeconds: number;
  readonly criticalPathSeconds: number;
  readonly deadlineSeconds: number;
  readonly committed: boolean;
  readonly refusedWhy: string | null;
  /** Seconds from reveal to root proof; null when it never came (or the block was refused). */
  readonly makespanSeconds: number | null;
  readonly onTime: boolean;
}

export interface Quantiles {
  readonly p50: number | null;
  readonly p95: number | null;
  readonly max: number | null;
}

export interface StreamOutcome {
  /** The stream's parameters as run: the quota per tier (vCPUs) for the model, the quote by its name. */
  readonly parameters: Pick<StreamParameters, 'profile' | 'publicCalls' | 'txs' | 'blocks' | 'slotSeconds' | 'deadlineFactor' | 'seed' | 'fault' | 'warm'> & {
    readonly quota: Readonly<Record<Tier, number>>;
    readonly quote: string;
  };
  readonly blocks: { readonly revealed: number; readonly quoted: number; readonly refused: number; readonly proven: number; readonly missed: number };
  readonly perBlock: readonly StreamBlock[];
  readonly makespanOverCriticalPath: Quantiles;
  /** Compute bill over the lower bound (job-seconds of first proofs × the tier's cheapest price), whole stream. */
  readonly computeOverLowerBound: number;
  readonly compute: {
    readonly usd: number;
    readonly lowerBoundUsd: number;
    readonly perBlockUsd: number;
    readonly perTxUsd: number;
    readonly lowerBoundPerTxUsd: number;
    /** Between the reveal of the first fifth's last block and the last reveal: no warm-up, no drain. */
    readonly steadyState: { readonly fromSeconds: number; readonly toSeconds: number; readonly usd: number; readonly lowerBoundUsd: number; readonly ratio: number };
  };
  /**
   * The steady window's bill split by what its instance time was spent on (agent-slot seconds per tier and dollars per
   * category, `costBreakdown` over the window); `billed` is the rows together, the window's bill (`steadyState.usd`).
   */
  readonly steadyBill: {
    readonly categories: CostBreakdown;
    readonly billed: CostRow;
    /** Agent-seconds of agents running but not proving, sampled at each scaler tick, by why they were there. */
    readonly idleAgentSeconds: Readonly<Record<Tier, IdleAgentSeconds>>;
  };
  readonly controlPlaneUsd: number;
  /** Control plane over compute. */
  readonly controlPlaneShare: number;
  /** Proving seconds (every attempt) over billed instance seconds, in the steady window. */
  readonly fleetUtilisation: Readonly<Record<Tier, number>> & { readonly overall: number };
  readonly peakBatchApiTps: number;
  readonly batchApiCalls: Readonly<Record<string, number>>;
  readonly peakLaunchesPerSecond: number;
  readonly launches: {
    readonly total: number;
    readonly bucket: { readonly burst: number; readonly refillPerSecond: number };
    readonly waitedSeconds: number;
    readonly maxWaitSeconds: number;
  };
  readonly agents: {
    readonly started: number;
    readonly stopped: number;
    readonly exitedByThemselves: number;
    readonly startedPerBlock: number;
    readonly stoppedPerBlock: number;
  };
  readonly peakVcpus: Readonly<Record<Tier, number>>;
  readonly standingFleet: Readonly<Record<Tier, number>>;
  readonly throughput: { readonly provenTxs: number; readonly txsPerSecond: number; readonly offeredTxsPerSecond: number };
  readonly fault: { readonly kind: StreamFault; readonly atSeconds: number; readonly recoverySeconds: number | null } | null;
  readonly simulatedSeconds: number;
  readonly eventsFired: number;
  readonly wallMs: number;
}

/**
 * Agent-seconds of the steady window's agents running but not proving (between proofs, requests included), as the
 * scaler's tick saw them: above the published target (waiting out the leave grace or the packing delay), kept by the
 * scale-down hold above what the sizing wanted, or wanted by the sizing (waiting for ready work).
 */
export interface IdleAgentSeconds {
  aboveTarget: number;
  held: number;
  wanted: number;
}

/** The ledger's proof-seconds per tier at one instant (the steady window's ends). */
export interface ProofSnapshot {
  readonly needed: Readonly<Record<Tier, number>>;
  readonly proving: Readonly<Record<Tier, number>>;
}

/** What a stream leaves behind once its last instance is terminated: what `streamOutcome` measures. */
export interface FinishedStream {
  readonly parameters: StreamParameters;
  readonly profile: string;
  /** Every revealed block, its makespan not yet known. */
  readonly records: readonly StreamBlock[];
  /** When each run's root proof came (epoch ms). */
  readonly roots: ReadonlyMap<string, number>;
  readonly revealed: number;
  readonly blockTxs: readonly number[];
  readonly standing: Readonly<Record<Tier, number>>;
  readonly fleet: Fleet;
  readonly ledger: ProofLedger;
  readonly counts: ControlPlaneCounts;
  /** The steady window (epoch ms) and the ledger at its two ends (fewer than two if the stream ended first). */
  readonly window: { readonly from: number; readonly to: number; readonly snapshots: readonly ProofSnapshot[] };
  /** Idle agents in the steady window, sampled at each scaler tick. */
  readonly idle: Readonly<Record<Tier, IdleAgentSeconds>>;
  readonly faultAt: number | null;
  /** Simulated time at the end (epoch ms). */
  readonly now: number;
  readonly eventsFired: number;
  readonly wallMs: number;
}

const SECOND = 1_000;
const T0 = SIM_EPOCH_MS;

/** The stream's figures: blocks on time, makespans, the bill against its lower bound (whole and steady), the fleet and the AWS calls. */
export function streamOutcome(finished: FinishedStream): StreamOutcome {
  const { parameters, records, roots, revealed, blockTxs, standing, fleet, ledger, counts, faultAt, now: end, eventsFired, wallMs } = finished;
  const { model, seed, slotSeconds } = parameters;
  const { from: windowFrom, to: windowTo, snapshots } = finished.window;
  const perBlock: StreamBlock[] = records.map((record) => {
    const root = roots.get(`block-${record.index}`);
    if (!record.committed || root === undefined) return record;
    const makespanSeconds = (root - T0) / SECOND - record.revealedAtSeconds;
    return { ...record, makespanSeconds, onTime: makespanSeconds <= record.deadlineSeconds };
  });
  const committed = perBlock.filter((block) => block.committed);
  const proven = committed.filter((block) => block.onTime);
  const ratios = committed.filter((block) => block.makespanSeconds !== null).map((block) => block.makespanSeconds! / block.criticalPathSeconds);

  const bills = fleet.bills();
  const computeUsd = sum(bills.map((bill) => bill.usd));
  const cheapest = (tier: Tier) => Math.min(agentUsdPerHour(model, tier).spot, agentUsdPerHour(model, tier).onDemand) / 3_600;
  const lowerBoundUsd = sum(TIERS.map((tier) => ledger.neededSeconds[tier] * cheapest(tier)));
  const controlPlane = sum(Object.values(controlPlaneCostUsd(counts, model)));
  const [from, to] = snapshots.length === 2 ? snapshots : [null, null];
  const windowUsd = windowBill(fleet.instances, model, windowFrom, windowTo, end);
  const windowLowerBound = from && to ? sum(TIERS.map((tier) => (to.needed[tier] - from.needed[tier]) * cheapest(tier))) : 0;
  const windowBilledSeconds = windowInstanceSeconds(fleet.instances, windowFrom, windowTo, end);
  const steadyCategories = costBreakdown({
    instances: fleet.instances,
    agents: fleet.agents,
    model,
    workBy: (id) => ledger.workBy(id),
    now: end,
    window: { from: windowFrom, to: windowTo },
  });
  const utilisation = perTier((tier) => (from && to && windowBilledSeconds[tier] > 0 ? (to.proving[tier] - from.proving[tier]) / windowBilledSeconds[tier] : 0));
  const provedInWindow = from && to ? sum(TIERS.map((tier) => to.proving[tier] - from.proving[tier])) : 0;
  const billedInWindow = sum(TIERS.map((tier) => windowBilledSeconds[tier]));
  const provenTxs = sum(proven.map((block) => block.txs));
  const started = fleet.agents.filter((agent) => agent.startedAt > 0).length;
  const stopped = sum(TIERS.map((tier) => fleet.stoppedByApi(tier)));
  const exited = fleet.agents.filter((agent) => agent.state === 'exited' && agent.stopRequestedAt === 0).length;
  const launches = fleet.launches();
  const streamSeconds = parameters.blocks * slotSeconds;

  return {
    parameters: {
      profile: finished.profile,
      publicCalls: parameters.publicCalls,
      txs: parameters.txs,
      blocks: parameters.blocks,
      slotSeconds,
      deadlineFactor: parameters.deadlineFactor,
      quota: { ...model.account.maxVcpus },
      seed,
      fault: parameters.fault,
      warm: parameters.warm,
      quote: parameters.quoteName ?? 'every block (no capacity check)',
    },
    blocks: {
      revealed,
      quoted: committed.length,
      refused: revealed - committed.length,
      proven: proven.length,
      missed: committed.length - proven.length,
    },
    perBlock,
    makespanOverCriticalPath: quantiles(ratios),
    computeOverLowerBound: lowerBoundUsd > 0 ? computeUsd / lowerBoundUsd : 0,
    compute: {
      usd: computeUsd,
      lowerBoundUsd,
      perBlockUsd: computeUsd / Math.max(1, committed.length),
      perTxUsd: computeUsd / Math.max(1, sum(committed.map((block) => block.txs))),
      lowerBoundPerTxUsd: lowerBoundUsd / Math.max(1, sum(committed.map((block) => block.txs))),
      steadyState: {
        fromSeconds: (windowFrom - T0) / SECOND,
        toSeconds: (windowTo - T0) / SECOND,
        usd: windowUsd,
        lowerBoundUsd: windowLowerBound,
        ratio: windowLowerBound > 0 ? windowUsd / windowLowerBound : 0,
      },
    },
    steadyBill: { categories: steadyCategories, billed: breakdownTotal(steadyCategories), idleAgentSeconds: finished.idle },
    controlPlaneUsd: controlPlane,
    controlPlaneShare: computeUsd > 0 ? controlPlane / computeUsd : 0,
    fleetUtilisation: { ...utilisation, overall: billedInWindow > 0 ? provedInWindow / billedInWindow : 0 },
    peakBatchApiTps: fleet.batchApi.peakPerSecond,
    batchApiCalls: { ...fleet.batchApi.calls },
    peakLaunchesPerSecond: launches.peakPerSecond,
    launches: {
      total: launches.total,
      bucket: { ...model.ec2.launchBucket },
      waitedSeconds: launches.waitedSeconds,
      maxWaitSeconds: launches.maxWaitSeconds,
    },
    agents: {
      started,
      stopped,
      exitedByThemselves: exited,
      startedPerBlock: started / Math.max(1, committed.length),
      stoppedPerBlock: stopped / Math.max(1, committed.length),
    },
    peakVcpus: perTier((tier) => fleet.peakVcpus(tier)),
    standingFleet: standing,
    throughput: {
      provenTxs,
      txsPerSecond: provenTxs / streamSeconds,
      offeredTxsPerSecond: sum(blockTxs) / streamSeconds,
    },
    fault:
      parameters.fault === null || faultAt === null
        ? null
        : { kind: parameters.fault, atSeconds: (faultAt - T0) / SECOND, recoverySeconds: recoveryAfter(faultAt, perBlock, roots, ledger) },
    simulatedSeconds: (end - T0) / SECOND,
    eventsFired,
    wallMs,
  };
}

/**
 * How long until the stream is back on its pre-fault schedule: until the root of the last block (live at the fault
 * or revealed after it) whose makespan ÷ critical path exceeded the worst seen before the fault; with no such
 * block, until the jobs the fault took away were proven again.
 */
function recoveryAfter(faultAt: number, blocks: readonly StreamBlock[], roots: ReadonlyMap<string, number>, ledger: ProofLedger): number | null {
  const faultSeconds = (faultAt - T0) / SECOND;
  const ratio = (block: StreamBlock) => (block.makespanSeconds === null ? Infinity : block.makespanSeconds / block.criticalPathSeconds);
  const before = blocks.filter((block) => block.committed && block.makespanSeconds !== null && block.revealedAtSeconds + block.makespanSeconds < faultSeconds);
  const worst = Math.max(0, ...before.map(ratio));
  const affected = blocks.filter((block) => block.committed && block.revealedAtSeconds + (block.makespanSeconds ?? Infinity) >= faultSeconds && ratio(block) > worst);
  if (affected.some((block) => block.makespanSeconds === null)) return null;
  if (affected.length > 0) return Math.max(...affected.map((block) => roots.get(`block-${block.index}`)! - faultAt)) / SECOND;
  const done = ledger.watchedDoneAt();
  return done === null ? null : Math.max(0, done - faultAt) / SECOND;
}

/** Dollars billed between `from` and `to` (instance time inside the window at the instance's price). */
function windowBill(instances: readonly Instance[], model: SimModel, from: number, to: number, now: number): number {
  let usd = 0;
  for (const instance of instances) {
    if (instance.billedFrom === 0) continue;
    const overlap = Math.max(0, Math.min(to, instance.terminatedAt || now) - Math.max(from, instance.billedFrom));
    const price = tierInstanceType(model, instance.tier).usdPerHour;
    usd += (overlap / 1_000 / 3_600) * (instance.spot ? price.spot : price.onDemand);
  }
  return usd;
}

/** Agent-slot seconds billed between `from` and `to`: an instance's time × its slots, used or not. */
function windowInstanceSeconds(instances: readonly Instance[], from: number, to: number, now: number): Record<Tier, number> {
  const seconds = { heavy: 0, light: 0 } as Record<Tier, number>;
  for (const instance of instances) {
    if (instance.billedFrom === 0) continue;
    seconds[instance.tier] += (instance.slots * Math.max(0, Math.min(to, instance.terminatedAt || now) - Math.max(from, instance.billedFrom))) / 1_000;
  }
  return seconds;
}

/** p50, p95 and max (nearest rank); nulls when there is nothing to rank. */
export function quantiles(values: readonly number[]): Quantiles {
  if (values.length === 0) return { p50: null, p95: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return { p50: rank(0.5), p95: rank(0.95), max: sorted[sorted.length - 1]! };
}

function perTier<T>(value: (tier: Tier) => T): Record<Tier, T> {
  return { heavy: value('heavy'), light: value('light') };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
