import { TIERS, type Tier } from '../../core/tiers.js';
import type { SimModel } from '../model/model.js';
import { meanTxs, type TxsMix } from '../model/txsMix.js';
import { runSimulationTasks } from './runSimulationTasks.js';
import { agentsWithin, jobSecondsPerTx } from './standingFleet.js';
import type { StreamBlock, StreamOutcome } from './streamOutcome.js';
import type { StreamQuoteName } from './streamQuotes.js';

export interface ScalingTableOptions {
  readonly profile: string;
  readonly publicCalls: string;
  readonly txs: TxsMix;
  /** Per-tier quotas to try (vCPUs; both tiers get the same). */
  readonly quotas: readonly number[];
  /** Offered loads, as fractions of the quota's fluid capacity (every agent proving all the time). */
  readonly loadFractions: readonly number[];
  /** A trial streams at least this many blocks, and at least `minStreamSeconds` of them. */
  readonly minBlocks: number;
  readonly minStreamSeconds: number;
  readonly deadlineFactor: number;
  readonly model: SimModel;
  readonly seed: string;
  readonly quote: StreamQuoteName;
  readonly parallelism: number;
}

/** One stream at one quota and load. */
export interface ScalingTrial {
  readonly loadFraction: number;
  readonly slotSeconds: number;
  readonly blocks: number;
  readonly offeredTxsPerSecond: number;
  readonly provenTxsPerSecond: number;
  readonly committed: number;
  readonly refused: number;
  readonly missed: number;
  /** Share of the offered txs in blocks the firm quoted (refused blocks are revenue not taken). */
  readonly quotedTxShare: number;
  readonly perTxUsd: number;
  readonly computeOverLowerBound: number;
  readonly steadyStateComputeOverLowerBound: number;
  readonly makespanOverCriticalPathP95: number | null;
  readonly peakBatchApiTps: number;
  readonly wallSeconds: number;
}

export interface ScalingRow {
  readonly quotaVcpus: number;
  /** Txs/s the quota could prove if every agent proved all the time (the tier that binds first). */
  readonly fluidCapacityTxsPerSecond: number;
  /**
   * The most txs/s proven in a trial with every committed block on time and at least `SUSTAINED_QUOTED_SHARE` of the
   * offered txs quoted (`sustainedTrial`); null when no trial managed it.
   */
  readonly sustainedTxsPerSecond: number | null;
  readonly perTxUsd: number | null;
  readonly trials: readonly ScalingTrial[];
}

/**
 * The RFP's question — if more compute is added, can throughput expand to match? — as one table: for each per-tier
 * quota, streams of the mix at several offered loads (the slot shortened to raise the load), each on one shared
 * fleet under that quota with the real scaler; the row's answer is the most txs/s proven with every committed block
 * on its deadline while quoting nearly all that is offered (`sustainedTrial`), and what a tx cost there.
 */
export async function scalingTable(options: ScalingTableOptions): Promise<ScalingRow[]> {
  const perTx = jobSecondsPerTx(options);
  const mean = meanTxs(options.txs);
  const plans = options.quotas.flatMap((quota) => {
    const capacity = fluidCapacity(quota, perTx);
    return options.loadFractions.map((fraction) => {
      const slotSeconds = Math.max(1, Math.round(mean / (fraction * capacity)));
      const blocks = Math.max(options.minBlocks, Math.ceil(options.minStreamSeconds / slotSeconds));
      return { quota, capacity, fraction, slotSeconds, blocks };
    });
  });
  const results = await runSimulationTasks(
    plans.map((plan) => ({
      kind: 'stream' as const,
      stream: {
        profile: options.profile,
        publicCalls: options.publicCalls,
        txs: options.txs,
        blocks: plan.blocks,
        slotSeconds: plan.slotSeconds,
        deadlineFactor: options.deadlineFactor,
        model: { ...options.model, account: { maxVcpus: { heavy: plan.quota, light: plan.quota } } },
        seed: options.seed,
        fault: null,
        warm: true,
        quote: options.quote,
      },
    })),
    options.parallelism,
  );
  const trials = results.map((result, i) => trialOf(plans[i]!, result.kind === 'stream' ? result.outcome : null));
  return options.quotas.map((quota) => {
    const mine = trials.filter((_, i) => plans[i]!.quota === quota);
    const best = sustainedTrial(mine);
    return {
      quotaVcpus: quota,
      fluidCapacityTxsPerSecond: fluidCapacity(quota, perTx),
      sustainedTxsPerSecond: best?.provenTxsPerSecond ?? null,
      perTxUsd: best?.perTxUsd ?? null,
      trials: mine,
    };
  });
}

/**
 * A load counts as sustained only if the firm took it on: with capacity-aware quoting a stream can keep every
 * committed block on time by refusing blocks, and refused blocks are lost revenue. 95 %: a load at which the firm
 * turns away more than one tx in twenty is beyond what it sustains.
 */
export const SUSTAINED_QUOTED_SHARE = 0.95;

/**
 * The trial that sustained the most: the most txs/s proven with every committed block on time and at least
 * `SUSTAINED_QUOTED_SHARE` of the offered txs quoted; null when none did.
 */
export function sustainedTrial(trials: readonly ScalingTrial[]): ScalingTrial | null {
  const clean = trials.filter((trial) => trial.missed === 0 && trial.committed > 0 && trial.quotedTxShare >= SUSTAINED_QUOTED_SHARE);
  return clean.reduce<ScalingTrial | null>((top, trial) => (top === null || trial.provenTxsPerSecond > top.provenTxsPerSecond ? trial : top), null);
}

/** Txs/s a per-tier quota proves with every agent busy all the time: the tier that runs out first decides. */
export function fluidCapacity(quotaVcpus: number, jobSecondsPerTx: Readonly<Record<Tier, number>>): number {
  return Math.min(...TIERS.map((tier) => (jobSecondsPerTx[tier] > 0 ? agentsWithin(quotaVcpus, tier) / jobSecondsPerTx[tier] : Infinity)));
}

function trialOf(plan: { fraction: number; slotSeconds: number; blocks: number }, outcome: StreamOutcome | null): ScalingTrial {
  if (!outcome) throw new Error('a stream task answered with something else');
  return {
    loadFraction: plan.fraction,
    slotSeconds: plan.slotSeconds,
    blocks: plan.blocks,
    offeredTxsPerSecond: outcome.throughput.offeredTxsPerSecond,
    provenTxsPerSecond: outcome.throughput.txsPerSecond,
    committed: outcome.blocks.quoted,
    refused: outcome.blocks.refused,
    missed: outcome.blocks.missed,
    quotedTxShare: quotedTxShare(outcome.perBlock),
    perTxUsd: outcome.compute.perTxUsd,
    computeOverLowerBound: outcome.computeOverLowerBound,
    steadyStateComputeOverLowerBound: outcome.compute.steadyState.ratio,
    makespanOverCriticalPathP95: outcome.makespanOverCriticalPath.p95,
    peakBatchApiTps: outcome.peakBatchApiTps,
    wallSeconds: outcome.wallMs / 1_000,
  };
}

/** Txs in quoted blocks over txs revealed. */
export function quotedTxShare(blocks: readonly Pick<StreamBlock, 'txs' | 'committed'>[]): number {
  const offered = blocks.reduce((total, block) => total + block.txs, 0);
  const quoted = blocks.reduce((total, block) => total + (block.committed ? block.txs : 0), 0);
  return offered === 0 ? 0 : quoted / offered;
}
