import { COST_CATEGORIES, COST_CATEGORY_NAMES, type CostBreakdown, type CostCategory } from './costBreakdown.js';
import type { SimModel } from '../model/model.js';
import type { BlockSimulation, ScenarioResult } from '../engine/simulateBlock.js';
import type { AgentEngine } from '../engine/simulateRun.js';

export interface MarkdownReportParameters {
  readonly simulation: BlockSimulation;
  readonly model: SimModel;
  /** Where the model came from: `the default model` or the override file. */
  readonly modelSource: string;
  readonly engine: AgentEngine;
  /** Chart file names per scenario, relative to the report. */
  readonly charts: Readonly<Record<string, string>>;
}

/**
 * The report people read: per scenario the makespan against the critical-path bound (plus provisioning when cold),
 * the compute cost against its lower bound, the control plane, peak vCPUs, deadline hits and recovery; then the
 * baselines from the same run, the issue's targets with what was met, and the charts.
 */
export function markdownReport({ simulation, model, modelSource, engine, charts }: MarkdownReportParameters): string {
  const { block, results, runs, seeds } = simulation;
  const scaler = runs.filter((run) => run.policy === 'scaler');
  const spread = mean(scaler.map((run) => run.stochasticCriticalPathSeconds));
  const warm = results.find((r) => r.scenario === 'warm');
  const addedTime = (result: ScenarioResult) => {
    if (!warm || warm === result || result.makespanSeconds === null || warm.makespanSeconds === null) return '';
    const added = result.makespanSeconds - warm.makespanSeconds;
    return ` (${added >= 0 ? '+' : ''}${fmt(added)} s vs warm)`;
  };
  // Cold, the least makespan the launch rate allows when it is known (it is never below start-up + critical path).
  const bound = (r: ScenarioResult) =>
    r.launchBound?.makespanSeconds ?? r.criticalPathSeconds + (r.scenario === 'cold' ? r.provisioningSeconds : 0);
  const boundCell = (r: ScenarioResult) =>
    r.launchBound
      ? `${fmt(r.launchBound.makespanSeconds)} s (launch rate; ${fmt(r.criticalPathSeconds)} + ${fmt(r.provisioningSeconds)} s without it)`
      : r.scenario === 'cold'
        ? `${fmt(r.criticalPathSeconds)} + ${fmt(r.provisioningSeconds)} s`
        : `${fmt(r.criticalPathSeconds)} s`;
  const lines = [
    `# prover-burst simulate: ${block.profile}, ${count(block.txs)} txs (${count(block.jobs)} jobs), public calls ${block.publicCalls}`,
    '',
    `Deadline ${count(simulation.deadlineSeconds)} s after proving starts; seeds ${seeds.join(', ')}; ${modelSource}. ` +
      `Every run drives the real scaler (\`core/scale\` through \`rescaleRuns\`) and the real store rules, queue messages, ` +
      `tree walk and cleanup; agents run ${
        engine === 'fast'
          ? 'the fast path, a step-for-step re-implementation of the core agent loop that `sim/engine/fastAgentRunner.test.ts` checks against the real loop event for event'
          : 'the real core agent loop (`runAgent`)'
      }. Figures are means over seeds; peak vCPUs are the most over seeds.`,
    '',
    '## The scaler',
    '',
    '| scenario | makespan | bound | ratio | compute | lower bound | ratio | control plane | peak vCPUs heavy / light | deadline hit | recovery |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map((r) =>
      row([
        r.scenario,
        r.makespanSeconds === null ? 'never' : `${fmt(r.makespanSeconds)} s${addedTime(r)}`,
        boundCell(r),
        r.makespanSeconds === null ? '—' : ratio(r.makespanSeconds / bound(r)),
        usd(r.computeCostUsd),
        usd(r.computeLowerBoundUsd),
        ratio(r.computeCostUsd / r.computeLowerBoundUsd),
        `${usd(r.controlPlaneUsd)} (${pct(r.controlPlaneUsd / r.computeCostUsd)})`,
        `${count(r.peakVcpus.heavy)} / ${count(r.peakVcpus.light)}`,
        `${Math.round(r.deadlineHitRate * seeds.length)}/${seeds.length}`,
        r.recoverySeconds === null ? '—' : `${fmt(r.recoverySeconds)} s`,
      ]),
    ),
    '',
    `The bound is the expected critical path; cold, the least makespan EC2's launch rate allows (below), never less than ` +
      `the critical path plus the measured median time for the first agents to start. ` +
      `With this model's proof-time spread (σ = ${model.proofs.spreadSigma}), the longest path through the sampled ` +
      `durations, with unlimited machines and no latency, is ${fmt(spread)} s (${ratio(spread / block.criticalPathSeconds)} the bound): ` +
      `that much of the ratio no scaler can remove. Recovery: from the fault until every job the lost agents held was proven again.`,
    ...launchBoundLines(results, simulation.deadlineSeconds),
    '',
    '## Against the baselines (same block, same seeds)',
    '',
    '| scenario | prover-burst makespan / compute | level walk, one Batch job per proof | level walk, one array job per level | reactive, idle exit | reactive, KEDA cooldown |',
    '|---|---:|---:|---:|---:|---:|',
    ...results.map((r) =>
      row([
        r.scenario,
        `${seconds(r.makespanSeconds)} / ${usd(r.computeCostUsd)}`,
        `${seconds(r.baselines.levelWalk.makespanSeconds)} / ${usd(r.baselines.levelWalk.computeCostUsd)}`,
        `${seconds(r.baselines.levelWalkArrays.makespanSeconds)} / ${usd(r.baselines.levelWalkArrays.computeCostUsd)}`,
        `${seconds(r.baselines.reactive.makespanSeconds)} / ${usd(r.baselines.reactive.computeCostUsd)}`,
        `${seconds(r.baselines.reactiveCooldown.makespanSeconds)} / ${usd(r.baselines.reactiveCooldown.computeCostUsd)}`,
      ]),
    ),
    '',
    `The level walk submits each proof as its own Batch job (${model.batch.apiCallsPerSecond} Batch API calls/s), or each level as ` +
      `one array job per tier, a level once the one below is done, from an empty compute environment in every scenario. ` +
      `The reactive baseline runs the same agents under a KEDA-style rule: ceil((ready + in flight) / ${model.reactive.messagesPerAgent}) ` +
      `agents per tier, polled every ${model.reactive.pollingSeconds} s, on Spot; scale-down by the agents' idle exit ` +
      `(${fmt(model.reactive.idleExitMs / 1000)} s), or by KEDA's own cooldown (${fmt(model.reactive.cooldownSeconds)} s) through the Batch API.`,
    '',
    '## AWS APIs as the scaler used them',
    '',
    '| scenario | peak Batch API TPS (budget ' + String(model.batch.apiCallsPerSecond) + ') | Batch API calls | agents stopped by API | EC2 launches | longest wait for a RunInstances token |',
    '|---|---:|---:|---:|---:|---:|',
    ...results.map((r) =>
      row([r.scenario, String(r.aws.peakBatchApiTps), count(r.aws.batchApiCalls), count(r.aws.agentsStoppedByApi), count(r.aws.launches), `${fmt(r.aws.maxLaunchWaitSeconds)} s`]),
    ),
    '',
    `Every Batch call shares one ${model.batch.apiCallsPerSecond} TPS budget (SubmitJob, CancelJob, TerminateJob, ListJobs pages, ` +
      `DescribeJobs); launches go through EC2's RunInstances bucket (${count(model.ec2.launchBucket.burst)} burst, ` +
      `${model.ec2.launchBucket.refillPerSecond}/s refill, per account and region).`,
    '',
    ...costSection(simulation),
    '## Targets',
    '',
    ...targets(simulation),
    '',
    `Wall time: ${fmt(mean(runs.map((run) => run.wallMs)) / 1000, 1)} s per simulated block on average ` +
      `(${fmt(simulation.wallSeconds, 0)} s for all ${runs.length + simulation.levelWalks.length} simulations).`,
    '',
    '## Charts (seed 1)',
    '',
    ...Object.entries(charts).map(([scenario, file]) => `![${scenario}](${file})`),
    '',
  ];
  return lines.join('\n');
}

/**
 * Where the compute dollars went, per scenario and for the level walk, and the floor under them: the least any
 * schedule meeting the makespan target could cost on this model.
 */
function costSection({ results, costs }: BlockSimulation): string[] {
  const columns: { name: string; breakdown: CostBreakdown }[] = costs.scenarios.map((c) => ({ name: c.scenario, breakdown: c.scaler }));
  columns.push({ name: 'level walk', breakdown: costs.levelWalk });
  const total = (breakdown: CostBreakdown) => COST_CATEGORIES.reduce((sum, category) => sum + breakdown[category].usd, 0);
  const shown = COST_CATEGORIES.filter((category) => columns.some((column) => Math.abs(column.breakdown[category].usd) >= 0.005));
  const cell = (breakdown: CostBreakdown, category: CostCategory) => {
    const usdValue = breakdown[category].usd;
    if (Math.abs(usdValue) < 0.005) return '—';
    const share = (100 * usdValue) / total(breakdown);
    const amount = usdValue < 0 ? `−${usd(-usdValue)}` : usd(usdValue);
    return Math.abs(share) < 0.5 ? amount : `${amount} (${share.toFixed(0)} %)`;
  };
  const lines = [
    '## Where the compute dollars go',
    '',
    'Each instance-second of the bill, by what the instance was doing, priced at Spot (the lower bound\'s price); the on-demand ' +
      'premium is what on-demand time cost beyond that. Means over seeds. The level walk\'s jobs do nothing but prove, so its ' +
      'agent time is all under proving (with the requests around each proof).',
    '',
    `| | ${columns.map((column) => column.name).join(' | ')} |`,
    `|---|${columns.map(() => '---:').join('|')}|`,
    ...shown.map((category) => row([COST_CATEGORY_NAMES[category], ...columns.map((column) => cell(column.breakdown, category))])),
    row(['**total**', ...columns.map((column) => `**${usd(total(column.breakdown))}**`)]),
    '',
    '### The floor',
    '',
    'The least any schedule could cost while meeting the makespan target (cold, the later of that and the least makespan the ' +
      'launch rate allows), on this model: each job must run between the moment ' +
      'its children could be done (and agents are up) and its path\'s remaining time before the target; with work treated as fluid ' +
      '(no 30-second rounds, no proof-time spread, no request latency, no idle agent), each tier needs at least as many instances as ' +
      'the work due in any window over its length, and each instance pays at least the mean scale-in delay and plan build, and its ' +
      'start (boot, image pull, container start): the model bills an agent up at t = 0 from its own start too, so a warm fleet pays ' +
      'it as a launched one does. The last column but two charges the start to nobody (as if a previous block had paid it).',
    '',
    '| scenario | makespan target | fewest instances heavy / light | overhead per instance (start) | floor | floor / lower bound | without the start | prover-burst / floor |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...costs.scenarios.map(({ scenario, floor }) => {
      const result = results.find((r) => r.scenario === scenario)!;
      return row([
        scenario,
        `${fmt(floor.makespanSeconds)} s`,
        `${count(floor.instances.heavy)} / ${count(floor.instances.light)}`,
        `${fmt(floor.overheadSecondsPerInstance)} s (${fmt(floor.startSecondsPerInstance)} s)`,
        usd(floor.usd),
        ratio(floor.usd / floor.lowerBoundUsd),
        ratio(floor.usdWithoutStart / floor.lowerBoundUsd),
        ratio(result.computeCostUsd / floor.usd),
      ]);
    }),
    '',
  ];
  return lines;
}

/**
 * The cold block against the best EC2's launch rate allows it (`coldMakespanBound`): the issue's cold target is the
 * best deadline that rate allows, so the report says how far the scaler is from it.
 */
function launchBoundLines(results: readonly ScenarioResult[], deadlineSeconds: number): string[] {
  const cold = results.find((r) => r.launchBound !== null);
  if (!cold?.launchBound) return [];
  const bound = cold.launchBound;
  const measured = cold.makespanSeconds === null ? 'never proven' : `${fmt(cold.makespanSeconds)} s (${ratio(cold.makespanSeconds / bound.makespanSeconds)} the bound)`;
  return [
    '',
    `**Cold against the launch rate**: ${measured}; no schedule can prove this block from a cold start in less than ` +
      `**${fmt(bound.makespanSeconds)} s** under EC2's RunInstances bucket as modelled (set by: ${bound.binding}; start-up ` +
      `plus critical path ${fmt(bound.criticalPathSeconds)} s, each instance up ${fmt(bound.startupSeconds)} s after it is ` +
      `asked for, Batch scheduling overlapping a wait for a token, the model's mean: a run whose instances come up faster can beat it). The bound treats work as fluid on instances of one tier each, launched as the bucket allows ` +
      `(\`sim/report/coldMakespanBound.ts\`), so the ${count(deadlineSeconds)}-s deadline is ` +
      `${bound.makespanSeconds <= deadlineSeconds ? 'within what the launch rate allows' : 'beyond what the launch rate allows'}.`,
  ];
}

/** The issue's targets, each with the figures that meet or miss it. */
function targets({ results, block, costs }: BlockSimulation): string[] {
  const byName = (name: string) => results.find((r) => r.scenario === name);
  const mark = (ok: boolean) => (ok ? 'met' : '**missed**');
  const lines: string[] = [];
  const warm = byName('warm');
  if (warm?.makespanSeconds != null) {
    const r = warm.makespanSeconds / warm.criticalPathSeconds;
    lines.push(`- warm makespan ≤ 1.15 × critical path: ${ratio(r)}, ${mark(r <= 1.15)}`);
  }
  const cold = byName('cold');
  if (cold?.makespanSeconds != null) {
    const r = cold.makespanSeconds / (cold.criticalPathSeconds + cold.provisioningSeconds);
    lines.push(`- cold makespan ≤ 1.15 × (critical path + provisioning): ${ratio(r)}, ${mark(r <= 1.15)}`);
    if (cold.launchBound) {
      lines.push(`- cold: the best the launch rate allows is ${fmt(cold.launchBound.makespanSeconds)} s; measured ${ratio(cold.makespanSeconds / cold.launchBound.makespanSeconds)} that`);
    }
  }
  const computeRatios = results.map((r) => `${r.scenario} ${ratio(r.computeCostUsd / r.computeLowerBoundUsd)}`);
  const floors = costs.scenarios.map(({ scenario, floor }) => `${scenario} ${ratio(floor.usd / floor.lowerBoundUsd)}`);
  lines.push(
    `- compute ≤ 1.2 × lower bound: ${computeRatios.join(', ')}; ${mark(results.every((r) => r.computeCostUsd <= 1.2 * r.computeLowerBoundUsd))} ` +
      `(the floor for the makespan target, with fluid work, no idle time and every instance billed from its start: ${floors.join(', ')})`,
  );
  const plane = results.map((r) => `${r.scenario} ${pct(r.controlPlaneUsd / r.computeCostUsd)}`);
  lines.push(`- control plane ≤ 1 % of compute: ${plane.join(', ')}; ${mark(results.every((r) => r.controlPlaneUsd <= 0.01 * r.computeCostUsd))}`);
  for (const name of ['spot-storm', 'kill-30']) {
    const r = byName(name);
    if (r) lines.push(`- ${name} meets the deadline on every seed: ${pct(r.deadlineHitRate)} of seeds, ${mark(r.deadlineHitRate === 1)}`);
  }
  const beats = results.every(
    (r) =>
      r.makespanSeconds !== null &&
      [r.baselines.levelWalk, r.baselines.reactive].every(
        (b) => (b.makespanSeconds === null || r.makespanSeconds! < b.makespanSeconds) && r.computeCostUsd < b.computeCostUsd,
      ),
  );
  const levelWalkUsd = results[0]?.baselines.levelWalk.computeCostUsd ?? 0;
  const aboveLevelWalk = costs.scenarios.filter(({ floor }) => floor.usd >= levelWalkUsd).map(({ scenario }) => scenario);
  lines.push(
    `- better than both baselines on makespan and on cost, every scenario: ${mark(beats)}` +
      (aboveLevelWalk.length > 0
        ? ` (the level walk's ${usd(levelWalkUsd)} is below the floor for the makespan target in ${aboveLevelWalk.join(', ')}: ` +
          'throttled to 50 SubmitJob/s, it keeps a small fleet busy for hours and misses the deadline)'
        : ''),
  );
  lines.push(`- (block: ${count(block.jobs)} jobs, critical path ${fmt(block.criticalPathSeconds)} s)`);
  return lines;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function mean(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0) / Math.max(values.length, 1);
}

function fmt(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function seconds(value: number | null): string {
  return value === null ? 'never' : `${fmt(value)} s`;
}

function usd(value: number): string {
  return `$${fmt(value, value < 100 ? 2 : 0)}`;
}

function ratio(value: number): string {
  return `${value.toFixed(2)}×`;
}

function pct(value: number): string {
  return `${(value * 100).toFixed(value < 0.1 ? 2 : 0)} %`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
