import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIM_MODEL } from '../model/model.js';
import { SCENARIO_NAMES } from '../engine/scenarios.js';
import { simulateBlock } from '../engine/simulateBlock.js';
import { writeSimulationReport } from './writeSimulationReport.js';

describe('the simulation report', () => {
  it('writes a table with every scenario, the baselines, the targets, and one chart per scenario', async () => {
    const simulation = await simulateBlock({
      block: { profile: 'rfp-2023', txs: 16, publicCalls: '1' },
      scenarios: SCENARIO_NAMES,
      seeds: 2,
      model: DEFAULT_SIM_MODEL,
      engine: 'fast',
      parallelism: 1,
    });
    const directory = mkdtempSync(join(tmpdir(), 'pb-report-'));
    const report = writeSimulationReport(directory, simulation, { model: DEFAULT_SIM_MODEL, modelSource: 'the default model', engine: 'fast' });

    expect(simulation.seeds).toEqual(['1', '2']);
    // Per scenario and seed: the scaler, the reactive baseline and its KEDA-cooldown variant.
    expect(simulation.runs).toHaveLength(SCENARIO_NAMES.length * 2 * 3);
    const markdown = readFileSync(report.markdownPath, 'utf8');
    expect(markdown).toContain('| scenario | makespan | bound | ratio | compute | lower bound | ratio |');
    for (const scenario of SCENARIO_NAMES) {
      expect(markdown).toMatch(new RegExp(`^\\| ${scenario} \\| \\d`, 'm'));
      expect(markdown).toContain(`![${scenario}](simulate-${scenario}.svg)`);
    }
    expect(markdown).toContain('level walk, one Batch job per proof');
    expect(markdown).toContain('level walk, one array job per level');
    expect(markdown).toContain('reactive, KEDA cooldown');
    expect(markdown).toMatch(/^\| warm \| \d+ \| /m);
    expect(markdown).toMatch(/warm makespan ≤ 1\.15 × critical path: [\d.]+×, (met|\*\*missed\*\*)/);
    // Cold is measured against the launch rate's bound, which the table and the targets both give.
    const cold = simulation.results.find((r) => r.scenario === 'cold')!;
    expect(cold.launchBound).not.toBeNull();
    expect(simulation.results.filter((r) => r.scenario !== 'cold').every((r) => r.launchBound === null)).toBe(true);
    expect(markdown).toMatch(/^\| cold \| [\d,]+ s.* \| [\d,]+ s \(launch rate; /m);
    expect(markdown).toContain('**Cold against the launch rate**');
    expect(markdown).toMatch(/cold: the best the launch rate allows is [\d,]+ s; measured [\d.]+× that/);
    // The floor table gives the floor with and without the instances' start.
    expect(markdown).toContain('| floor | floor / lower bound | without the start |');
    expect(report.chartPaths).toHaveLength(SCENARIO_NAMES.length);
    const svg = readFileSync(report.chartPaths[0]!, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(5);
    expect(svg).toContain('root proven');
  });
});
