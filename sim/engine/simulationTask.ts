import { parsePublicCallSpec } from '../../core/body/publicCallSpec.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import type { BlockPlan } from '../../core/plan/blockPlan.js';
import { planBlock } from '../../core/plan/planBlock.js';
import { getCircuitProfile } from '../../core/profiles/getCircuitProfile.js';
import { withExpectedSeconds } from '../../core/profiles/withExpectedSeconds.js';
import { simulateLevelWalk, type LevelWalkOutcome, type LevelWalkSubmission } from '../baselines/levelWalk.js';
import { simulateStream, type StreamParameters } from './simulateStream.js';
import type { StreamOutcome } from './streamOutcome.js';
import { streamQuote, type StreamQuoteName } from './streamQuotes.js';
import type { SimModel } from '../model/model.js';
import { getScenario, type ScenarioName } from './scenarios.js';
import { simulateRun, type AgentEngine, type RunOutcome, type ScalingPolicy } from './simulateRun.js';
import { stochasticCriticalPath } from '../report/stochasticCriticalPath.js';

/** The block every seed proves: a synthetic body, fixed by these values (the simulation seed varies only AWS). */
export interface BlockSpec {
  readonly profile: string;
  readonly txs: number;
  /** A public-call spec as `prover-burst plan` takes it (`2`, or `0:0.5,1:0.3,4:0.2`). */
  readonly publicCalls: string;
  /** Measured seconds per job kind in place of the profile's expectations (`simulate --proof-times`). */
  readonly expectedSeconds?: Readonly<Record<string, number>>;
}

/** One simulation to run, in this process or a worker (plain data, so it can be posted). */
export type SimulationTask =
  | {
      readonly kind: 'run';
      readonly block: BlockSpec;
      readonly model: SimModel;
      readonly scenario: ScenarioName;
      readonly seed: string;
      readonly policy: ScalingPolicy;
      readonly engine: AgentEngine;
      readonly deadlineSeconds: number;
    }
  | { readonly kind: 'levelWalk'; readonly block: BlockSpec; readonly model: SimModel; readonly seed: string; readonly submission: LevelWalkSubmission }
  | { readonly kind: 'stream'; readonly stream: StreamTask };

/** A stream to simulate, as plain data: its quote by name. */
export type StreamTask = Omit<StreamParameters, 'quote' | 'quoteName' | 'log'> & { readonly quote: StreamQuoteName };

/** What one scaled run reports, without its per-instance records (plain data, so a worker can post it). */
export type RunSummary = Omit<RunOutcome, 'bills' | 'ledger' | 'fleet' | 'attempts'> & {
  readonly scenario: ScenarioName;
  readonly policy: ScalingPolicy;
  readonly seed: string;
  /** The makespan with unlimited machines and no latency for this seed's proof durations: the spread's share. */
  readonly stochasticCriticalPathSeconds: number;
};

export type TaskResult =
  | { readonly kind: 'run'; readonly summary: RunSummary }
  | { readonly kind: 'levelWalk'; readonly seed: string; readonly submission: LevelWalkSubmission; readonly outcome: LevelWalkOutcome }
  | { readonly kind: 'stream'; readonly outcome: StreamOutcome };

const plans = new Map<string, BlockPlan>();

/** The plan of a block spec, built once per process. */
export function planOf(block: BlockSpec): BlockPlan {
  const key = `${block.profile}/${block.txs}/${block.publicCalls}/${JSON.stringify(block.expectedSeconds ?? {})}`;
  let plan = plans.get(key);
  if (!plan) {
    const profile = withExpectedSeconds(getCircuitProfile(block.profile), block.expectedSeconds ?? {});
    const body = syntheticBlockBody({ txs: block.txs, publicCalls: parsePublicCallSpec(block.publicCalls), seed: 'simulate' });
    plan = planBlock(body, profile, { blockId: 'sim', trusted: true });
    plans.set(key, plan);
  }
  return plan;
}

/** Runs one task to its summary. */
export async function runSimulationTask(task: SimulationTask): Promise<TaskResult> {
  if (task.kind === 'stream') {
    const { quote, ...stream } = task.stream;
    const named = streamQuote(quote);
    return { kind: 'stream', outcome: await simulateStream({ ...stream, quote: named.quote, quoteName: named.name }) };
  }
  const plan = planOf(task.block);
  if (task.kind === 'levelWalk') {
    return { kind: 'levelWalk', seed: task.seed, submission: task.submission, outcome: await simulateLevelWalk(plan, task.model, task.seed, task.submission) };
  }
  const outcome = await simulateRun({
    plan,
    model: task.model,
    scenario: getScenario(task.scenario, task.model),
    seed: task.seed,
    policy: task.policy,
    engine: task.engine,
    deadlineSeconds: task.deadlineSeconds,
  });
  const { bills: _bills, ledger: _ledger, fleet: _fleet, attempts: _attempts, ...figures } = outcome;
  return {
    kind: 'run',
    summary: {
      scenario: task.scenario,
      policy: task.policy,
      seed: task.seed,
      ...figures,
      stochasticCriticalPathSeconds: stochasticCriticalPath(plan, task.model.proofs.spreadSigma, task.seed),
    },
  };
}
