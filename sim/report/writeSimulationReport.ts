import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownReport } from './markdownReport.js';
import type { SimModel } from '../model/model.js';
import type { BlockSimulation } from '../engine/simulateBlock.js';
import type { AgentEngine } from '../engine/simulateRun.js';
import { timelineChart } from './timelineChart.js';

export interface WrittenReport {
  readonly markdownPath: string;
  readonly chartPaths: readonly string[];
  /** Charts of an earlier report in the directory that this one replaced (scenarios it did not run). */
  readonly replacedCharts: readonly string[];
  readonly markdown: string;
}

const CHART = /^simulate-.+\.svg$/;

/**
 * Writes `simulate.md` and one `simulate-<scenario>.svg` per scenario (its first seed) into `directory`. An earlier
 * report there is replaced whole: its charts of other scenarios are removed, so no stale chart sits beside the report.
 */
export function writeSimulationReport(
  directory: string,
  simulation: BlockSimulation,
  { model, modelSource, engine }: { readonly model: SimModel; readonly modelSource: string; readonly engine: AgentEngine },
): WrittenReport {
  mkdirSync(directory, { recursive: true });
  const charts: Record<string, string> = {};
  const chartPaths: string[] = [];
  for (const result of simulation.results) {
    const run = simulation.runs.find((r) => r.scenario === result.scenario && r.policy === 'scaler' && r.seed === simulation.seeds[0]);
    if (!run) continue;
    const file = `simulate-${result.scenario}.svg`;
    const svg = timelineChart({
      title: `${result.scenario}: ${simulation.block.txs.toLocaleString('en-US')} txs, seed ${run.seed}`,
      timeline: run.timeline,
      jobs: simulation.block.jobs,
      makespanSeconds: run.makespanSeconds,
      faultAtSeconds: run.faultAtSeconds,
      deadlineSeconds: simulation.deadlineSeconds,
    });
    writeFileSync(join(directory, file), svg);
    charts[result.scenario] = file;
    chartPaths.push(join(directory, file));
  }
  const written = new Set(Object.values(charts));
  const replacedCharts = readdirSync(directory)
    .filter((file) => CHART.test(file) && !written.has(file))
    .map((file) => join(directory, file));
  for (const file of replacedCharts) rmSync(file);
  const markdown = markdownReport({ simulation, model, modelSource, engine, charts });
  const markdownPath = join(directory, 'simulate.md');
  writeFileSync(markdownPath, markdown);
  return { markdownPath, chartPaths, replacedCharts, markdown };
}
