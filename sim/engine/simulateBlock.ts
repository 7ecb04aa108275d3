import type { Tier } from '../../core/tiers.js';
import { meanCostBreakdown, type CostBreakdown } from '../report/costBreakdown.js';
import { coldMakespanBound, type ColdMakespanBound } from '../report/coldMakespanBound.js';
import { costFloor, type CostFloor } from '../report/costFloor.js';
import { simLaunchRate } from '../model/simLaunchRate.js';
import { meanStartup } from '../model/startup.js';
import { provisioningSeconds } from '../model/scalerSettings.js';
import type { LevelWalkOutcome, LevelWalkSubmission } from '../baselines/levelWalk.js';
import type { SimModel } from '../model/model.js';
import { runSimulationTasks } from './runSimulationTasks.js';
import type { ScenarioName } from './scenarios.js';
import type { AgentEngine, ScalingPolicy } from './simulateRun.js';
import { planOf, type BlockSpec, type RunSummary, type SimulationTask } from './simulationTask.js';

export interface SimulateBlockOptions {
  readonly block: BlockSpec;
  readonly scenarios: readonly ScenarioName[];
  /** Seeds 1…K: each varies AWS (latencies, launches, reclaims) and the proof-time spread, not the block. */
  readonly seeds: number;
  /** Seconds from the start of proving; default 2 × the critical path. */
  readonly deadlineSeconds?: number;
  readonly model: SimModel;
  readonly engine: AgentEngine;
  /** Simulations run at once (worker threads); 1 runs them in this thread. */
  readonly parallelism: number;
}

/** What the issue asks for, per scenario: means over seeds, the deadline hit rate over seeds, peaks as the most. */
export interface ScenarioResult {
  readonly scenario: ScenarioName;
  readonly txs: number;
  /** Mean over the seeds whose root was proven (a seed that never finished counts only as a deadline miss). */
  readonly makespanSeconds: number | null;
  readonly criticalPathSeconds: number;
  readonly provisioningSeconds: number;
  /**
   * Cold only: the least makespan EC2's launch rate allows this block on this model (`coldMakespanBound`), with every
   * instance's start-up the model's mean; null for a scenario that starts warm.
   */
  readonly launchBound: ColdMakespanBound | null;
  readonly computeCostUsd: number;
  readonly computeLowerBoundUsd: number;
  readonly controlPlaneUsd: number;
  /** The most over the seeds: what the account's quota must allow. */
  readonly peakVcpus: { readonly heavy: number; readonly light: number };
  readonly deadlineHitRate: number;
  /** After the scenario's fault: until every job the lost agents held was proven again (null without a fault). */
  readonly recoverySeconds: number | null;
  readonly baselines: {
    /** One SubmitJob per proof, level by level. */
    readonly levelWalk: BaselineResult;
    /** The fair variant: one array job per level and tier. */
    readonly levelWalkArrays: BaselineResult;
    /** KEDA-style queue-depth scaling, scale-down by the agents' idle exit. */
    readonly reactive: BaselineResult;
    /** The fair variant: KEDA's own scale-down after its 300 s cooldown, through the Batch API. */
    readonly reactiveCooldown: BaselineResult;
  };
  /** The Batch API and EC2 launches as the scaler used them (means over seeds; peaks as the most). */
  readonly aws: {
    readonly peakBatchApiTps: number;
    readonly batchApiCalls: number;
    readonly agentsStoppedByApi: number;
    readonly launches: number;
    readonly maxLaunchWaitSeconds: number;
  };
}

export interface BaselineResult {
  readonly makespanSeconds: number | null;
  readonly computeCostUsd: number;
}

/** Where a scenario's compute dollars went (means over seeds), and the least any schedule could have cost. */
export interface ScenarioCosts {
  readonly scenario: ScenarioName;
  readonly scaler: CostBreakdown;
  readonly reactive: CostBreakdown;
  /** The floor for the makespan target in this scenario (`costFloor`). */
  readonly floor: CostFloor;
}

/** The makespan targets: 1.15 × the critical path, plus the provisioning latency when cold. */
export const MAKESPAN_TARGET_STRETCH = 1.15;

export interface BlockSimulation {
  readonly block: BlockSpec & { readonly jobs: number; readonly criticalPathSeconds: number };
  readonly deadlineSeconds: number;
  readonly seeds: readonly string[];
  readonly results: readonly ScenarioResult[];
  /** Every scaled run (the scaler's and the reactive baseline's), for the report's details and chart. */
  readonly runs: readonly RunSummary[];
  readonly levelWalks: readonly { readonly seed: string; readonly submission: LevelWalkSubmission; readonly outcome: LevelWalkOutcome }[];
  readonly costs: { readonly scenarios: readonly ScenarioCosts[]; readonly levelWalk: CostBreakdown };
  readonly wallSeconds: number;
}

/**
 * Proves one block under each scenario and seed with the real scaler, and the two baselines in the same run: the
 * reactive scaler over the same agents (same scenario, same seed) and the level walk (once per seed: it starts from
 * an empty compute environment in every scenario).
 */
export async function simulateBlock(options: SimulateBlockOptions): Promise<BlockSimulation> {
  const started = performance.now();
  const plan = planOf(options.block);
  const deadlineSeconds = options.deadlineSeconds ?? 2 * plan.criticalPathSeconds;
  const seeds = Array.from({ length: options.seeds }, (_, i) => String(i + 1));
  const { block, model, engine } = options;
  const tasks: SimulationTask[] = [];
  for (const scenario of options.scenarios) {
    for (const seed of seeds) {
      for (const policy of ['scaler', 'reactive', 'reactive-cooldown'] as const) {
        tasks.push({ kind: 'run', block, model, scenario, seed, policy, engine, deadlineSeconds });
      }
    }
  }
  for (const seed of seeds) {
    for (const submission of ['job-per-proof', 'array-per-level'] as const) tasks.push({ kind: 'levelWalk', block, model, seed, submission });
  }

  const results = await runSimulationTasks(tasks, options.parallelism);
  const runs: RunSummary[] = [];
  const levelWalks: { seed: string; submission: LevelWalkSubmission; outcome: LevelWalkOutcome }[] = [];
  for (const result of results) {
    if (result.kind === 'run') runs.push(result.summary);
    else if (result.kind === 'levelWalk') levelWalks.push({ seed: result.seed, submission: result.submission, outcome: result.outcome });
  }
  const walks = (submission: LevelWalkSubmission): BaselineResult => {
    const mine = levelWalks.filter((walk) => walk.submission === submission);
    return { makespanSeconds: meanOf(mine.map(({ outcome }) => outcome.makespanSeconds)), computeCostUsd: mean(mine.map(({ outcome }) => outcome.computeCostUsd)) };
  };

  const launchBound = options.scenarios.includes('cold') ? coldMakespanBound(plan, simLaunchRate(model), { beforeTokenSeconds: meanStartup(model).beforeTokenSeconds }) : null;
  const scenarioResults = options.scenarios.map((scenario): ScenarioResult => {
    const mine = runs.filter((run) => run.scenario === scenario && run.policy === 'scaler');
    const baseline = (policy: ScalingPolicy): BaselineResult => {
      const theirs = runs.filter((run) => run.scenario === scenario && run.policy === policy);
      return { makespanSeconds: meanOf(theirs.map((run) => run.makespanSeconds)), computeCostUsd: mean(theirs.map((run) => run.computeCostUsd)) };
    };
    const peak = (tier: Tier) => Math.max(...mine.map((run) => run.peakVcpus[tier]));
    return {
      scenario,
      txs: block.txs,
      makespanSeconds: meanOf(mine.map((run) => run.makespanSeconds)),
      criticalPathSeconds: plan.criticalPathSeconds,
      provisioningSeconds: mean(mine.map((run) => run.provisioningSeconds)),
      launchBound: scenario === 'cold' ? launchBound : null,
      computeCostUsd: mean(mine.map((run) => run.computeCostUsd)),
      computeLowerBoundUsd: mean(mine.map((run) => run.computeLowerBoundUsd)),
      controlPlaneUsd: mean(mine.map((run) => run.controlPlaneUsd)),
      peakVcpus: { heavy: peak('heavy'), light: peak('light') },
      deadlineHitRate: mine.filter((run) => run.deadlineMet).length / mine.length,
      recoverySeconds: meanOf(mine.map((run) => run.recoverySeconds)),
      baselines: {
        levelWalk: walks('job-per-proof'),
        levelWalkArrays: walks('array-per-level'),
        reactive: baseline('reactive'),
        reactiveCooldown: baseline('reactive-cooldown'),
      },
      aws: {
        peakBatchApiTps: Math.max(...mine.map((run) => run.aws.peakBatchApiTps)),
        batchApiCalls: mean(mine.map((run) => run.aws.batchApiCalls)),
        agentsStoppedByApi: mean(mine.map((run) => run.aws.agentsStoppedByApi)),
        launches: mean(mine.map((run) => run.aws.launches)),
        maxLaunchWaitSeconds: Math.max(...mine.map((run) => run.aws.maxLaunchWaitSeconds)),
      },
    };
  });

  const scenarioCosts = scenarioResults.map((result): ScenarioCosts => {
    const of = (policy: string) => runs.filter((run) => run.scenario === result.scenario && run.policy === policy).map((run) => run.costBreakdown);
    const cold = result.scenario === 'cold';
    const floor = costFloor(plan, model, {
      // Cold, no schedule ends before the launch rate's bound: a floor for an earlier target would price the impossible.
      makespanSeconds: Math.max(
        MAKESPAN_TARGET_STRETCH * (plan.criticalPathSeconds + (cold ? result.provisioningSeconds : 0)),
        result.launchBound?.makespanSeconds ?? 0,
      ),
      // The first agents of a cold block work no sooner than the fastest one in a hundred could start.
      arrivalSeconds: cold ? provisioningSeconds(model, 0.01) : 0,
    });
    return { scenario: result.scenario, scaler: meanCostBreakdown(of('scaler')), reactive: meanCostBreakdown(of('reactive')), floor };
  });

  return {
    block: { ...block, jobs: plan.size, criticalPathSeconds: plan.criticalPathSeconds },
    deadlineSeconds,
    seeds,
    results: scenarioResults,
    runs,
    levelWalks,
    costs: {
      scenarios: scenarioCosts,
      levelWalk: meanCostBreakdown(levelWalks.filter((walk) => walk.submission === 'job-per-proof').map(({ outcome }) => outcome.costBreakdown)),
    },
    wallSeconds: (performance.now() - started) / 1000,
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0) / Math.max(values.length, 1);
}

/** The mean of the values that exist; null when none does. */
function meanOf(values: readonly (number | null)[]): number | null {
  const present = values.filter((value): value is number => value !== null);
  return present.length === 0 ? null : mean(present);
}
