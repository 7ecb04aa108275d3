// Simulates the block (rfp-2023, 61,440 txs, 2 public calls each, deadline 2 × critical path) under all four
// scenarios with the real scaler, against both baselines, on every core; writes simulate.json and the report.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SIM_MODEL } from '../sim/model/model.js';
import { SCENARIO_NAMES } from '../sim/engine/scenarios.js';
import { simulateBlock } from '../sim/engine/simulateBlock.js';
import { writeSimulationReport } from '../sim/report/writeSimulationReport.js';
import { peakRssMb, RESULTS_DIR, writeResult } from './writeResult.js';

const seeds = Number(process.env.BENCH_SEEDS ?? 3);
const txs = Number(process.env.BENCH_TXS ?? 61_440);
const simulation = await simulateBlock({
  block: { profile: 'rfp-2023', txs, publicCalls: '2' },
  scenarios: SCENARIO_NAMES,
  seeds,
  model: DEFAULT_SIM_MODEL,
  engine: 'fast',
  parallelism: availableParallelism(),
});
const report = writeSimulationReport(join(RESULTS_DIR, 'sim'), simulation, {
  model: DEFAULT_SIM_MODEL,
  modelSource: 'the default model (sim/model/model.ts)',
  engine: 'fast',
});

const scaled = simulation.runs.filter((run) => run.policy === 'scaler');
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const floorOf = (scenario: string) => simulation.costs.scenarios.find((c) => c.scenario === scenario)!.floor;
writeResult('simulate', {
  profile: simulation.block.profile,
  txs: simulation.block.txs,
  publicCalls: simulation.block.publicCalls,
  jobs: simulation.block.jobs,
  criticalPathSeconds: simulation.block.criticalPathSeconds,
  deadlineSeconds: simulation.deadlineSeconds,
  seeds: simulation.seeds.length,
  scenarios: simulation.results,
  // Where each scenario's compute dollars went (scaler and reactive), the level walk's, and the floor per scenario.
  costs: simulation.costs,
  // Ratios the summary line and RESULTS.md quote, per scenario.
  ratios: Object.fromEntries(
    simulation.results.map((r) => [
      r.scenario,
      {
        // Cold, against the least makespan the launch rate allows (the report's bound); the old figure beside it.
        makespan: r.makespanSeconds === null ? null : round(r.makespanSeconds / (r.launchBound?.makespanSeconds ?? r.criticalPathSeconds)),
        ...(r.scenario === 'cold' && r.makespanSeconds !== null
          ? { makespanOverCriticalPathAndProvisioning: round(r.makespanSeconds / (r.criticalPathSeconds + r.provisioningSeconds)) }
          : {}),
        compute: round(r.computeCostUsd / r.computeLowerBoundUsd),
        controlPlanePercent: round((100 * r.controlPlaneUsd) / r.computeCostUsd),
        computeFloor: round(floorOf(r.scenario).usd / floorOf(r.scenario).lowerBoundUsd),
        // The floor with the instances' start (boot, image pull, container start) charged to nobody, as it was before.
        computeFloorWithoutStart: round(floorOf(r.scenario).usdWithoutStart / floorOf(r.scenario).lowerBoundUsd),
      },
    ]),
  ),
  stochasticCriticalPathSeconds: round(scaled.reduce((total, run) => total + run.stochasticCriticalPathSeconds, 0) / scaled.length, 1),
  wallSecondsPerSimulation: round(simulation.runs.reduce((total, run) => total + run.wallMs, 0) / simulation.runs.length / 1000, 1),
  maxWallSecondsPerSimulation: round(Math.max(...simulation.runs.map((run) => run.wallMs)) / 1000, 1),
  totalWallSeconds: round(simulation.wallSeconds, 1),
  parallelism: availableParallelism(),
  report: report.markdownPath,
  peakRssMb: peakRssMb(),
});
