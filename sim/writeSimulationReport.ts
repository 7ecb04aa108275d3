import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownReport } from './markdownReport.js';
import type { SimModel } from './model.js';
import type { BlockSimulation } from './simulateBlock.js';
import type { AgentEngine } from './simulateRun.js';
import { timelineChart } from './timelineChart.js';

export interface WrittenReport {
  readonly markdownPath: string;
  readonly chartPaths: readonly string[];
  readonly markdown: string;
}

/** Writes `simulate.md` and one `simulate-<scenario>.svg` per scenario (its first seed) into `directory`. */
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
  const markdown = markdownReport({ simulation, model, modelSource, engine, charts });
  const markdownPath = join(directory, 'simulate.md');
  writeFileSync(markdownPath, markdown);
  return { markdownPath, chartPaths, markdown };
}
