import type { SimModel } from './model.js';
import type { BlockSimulation, ScenarioResult } from './simulateBlock.js';
import type { AgentEngine } from './simulateRun.js';

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
  const bound = (r: ScenarioResult) => r.criticalPathSeconds + (r.scenario === 'cold' ? r.provisioningSeconds : 0);
  const lines = [
    `# prover-burst simulate: ${block.profile}, ${count(block.txs)} txs (${count(block.jobs)} jobs), public calls ${block.publicCalls}`,
    '',
    `Deadline ${count(simulation.deadlineSeconds)} s after proving starts; seeds ${seeds.join(', ')}; ${modelSource}. ` +
      `Every run drives the real scaler (\`core/scale\` through \`rescaleRuns\`) and the real store rules, queue messages, ` +
      `tree walk and cleanup; agents run ${
        engine === 'fast'
          ? 'the fast path, a step-for-step re-implementation of the core agent loop that `sim/fastAgentRunner.test.ts` checks against the real loop event for event'
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
        r.scenario === 'cold' ? `${fmt(r.criticalPathSeconds)} + ${fmt(r.provisioningSeconds)} s` : `${fmt(r.criticalPathSeconds)} s`,
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
    `The bound is the expected critical path (plus, cold, the measured median time for the first agents to start). ` +
      `With this model's proof-time spread (σ = ${model.proofs.spreadSigma}), the longest path through the sampled ` +
      `durations, with unlimited machines and no latency, is ${fmt(spread)} s (${ratio(spread / block.criticalPathSeconds)} the bound): ` +
      `that much of the ratio no scaler can remove. Recovery: from the fault until every job the lost agents held was proven again.`,
    '',
    '## Against the baselines (same block, same seeds)',
    '',
    '| scenario | prover-burst makespan / compute | level walk, one Batch job per proof | reactive queue-depth scaling |',
    '|---|---:|---:|---:|',
    ...results.map((r) =>
      row([
        r.scenario,
        `${seconds(r.makespanSeconds)} / ${usd(r.computeCostUsd)}`,
        `${seconds(r.baselines.levelWalk.makespanSeconds)} / ${usd(r.baselines.levelWalk.computeCostUsd)}`,
        `${seconds(r.baselines.reactive.makespanSeconds)} / ${usd(r.baselines.reactive.computeCostUsd)}`,
      ]),
    ),
    '',
    `The level walk submits each proof as its own Batch job (${model.batch.submitJobsPerSecond} SubmitJob/s), a level once the ` +
      `one below is done, from an empty compute environment in every scenario. The reactive baseline runs the same agents ` +
      `under a KEDA-style rule: ceil((ready + in flight) / ${model.reactive.messagesPerAgent}) agents per tier, polled every ` +
      `${model.reactive.pollingSeconds} s, on Spot, scale-down by the agents' idle exit.`,
    '',
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

/** The issue's targets, each with the figures that meet or miss it. */
function targets({ results, block }: BlockSimulation): string[] {
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
  }
  const costs = results.map((r) => `${r.scenario} ${ratio(r.computeCostUsd / r.computeLowerBoundUsd)}`);
  lines.push(`- compute ≤ 1.2 × lower bound: ${costs.join(', ')}; ${mark(results.every((r) => r.computeCostUsd <= 1.2 * r.computeLowerBoundUsd))}`);
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
  lines.push(`- better than both baselines on makespan and on cost, every scenario: ${mark(beats)}`);
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
