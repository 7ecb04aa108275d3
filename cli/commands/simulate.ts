import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ensureDirectory } from '../../adapters/host/ensureDirectory.js';
import { freshDirectory } from '../../adapters/host/freshDirectory.js';
import { parsePublicCallSpec } from '../../core/body/publicCallSpec.js';
import { getCircuitProfile } from '../../core/profiles/getCircuitProfile.js';
import { withExpectedSeconds } from '../../core/profiles/withExpectedSeconds.js';
import { loadSimModel } from '../../sim/model/loadSimModel.js';
import { readMeasuredProofTimes } from '../../sim/model/measuredProofTimes.js';
import { DEFAULT_SIM_MODEL } from '../../sim/model/model.js';
import { SCENARIO_NAMES, getScenario, type ScenarioName } from '../../sim/engine/scenarios.js';
import type { CliOutput } from '../output.js';
import { streamCommand } from './simulateStream.js';
import { integerFlag, numberFlag, parseFlags, type CommandSpec } from '../parseFlags.js';
import { asUsage, UsageError } from '../usageError.js';

/** Where reports go unless `--out` says otherwise: a fresh dated directory under .data/sim, outside the committed tree. */
const DEFAULT_OUT_ROOT = join('.data', 'sim');

export const simulateSpec = {
  name: 'simulate',
  summary:
    'Simulates proving one block on modelled AWS with the real scaler and tree walk, against the baselines;\nwrites simulate.md and one SVG chart per scenario. `npm run bench` refreshes the committed bench/results/sim.\nWith --scenario stream: a block every slot, proven by one shared fleet under per-tier vCPU quotas.',
  flags: {
    txs: { type: 'string', value: 'N|MIX', help: 'txs in the block; for a stream a size or a size:weight mix', absent: '61440; a stream 1024:0.6,4096:0.3,16384:0.1' },
    'public-calls': { type: 'string', value: 'SPEC', help: 'calls per tx: a count or count:probability pairs, as for `plan`', default: '2' },
    profile: { type: 'string', value: 'NAME', help: 'circuit profile: rfp-2023, aztec-v5 or noir-tree', default: 'rfp-2023' },
    scenario: { type: 'string', value: 'NAME', help: `${SCENARIO_NAMES.join(', ')}, all, or stream`, default: 'warm' },
    deadline: { type: 'string', value: 'S', help: 'proving deadline in seconds', absent: '2 × the critical path' },
    seeds: { type: 'string', value: 'K', help: 'seeds to run, 1…K; figures are means over them (a stream runs seed K alone: another draw of block sizes)', default: '1' },
    json: { type: 'boolean', help: 'print the results as JSON (one object, or an array with --scenario all)' },
    out: { type: 'string', value: 'DIR', help: 'directory for simulate.md and the charts', absent: `a new ${DEFAULT_OUT_ROOT}/<date and time>` },
    model: { type: 'string', value: 'FILE', help: 'JSON file overriding parts of the AWS model (see sim/model/model.ts)', absent: 'none' },
    'proof-times': {
      type: 'string',
      value: 'FILE',
      help: "a bench:proofs result (bench/results/real-proofs.json): its median prove seconds per kind replace the profile's expected durations (measured on the machine that ran it)",
      absent: "the profile's expectations",
    },
    engine: { type: 'string', value: 'NAME', help: 'fast, or real: the core agent loop itself, ~10× slower', default: 'fast' },
    parallel: { type: 'string', value: 'N', help: 'simulations at once', absent: 'one per CPU' },
    'slot-seconds': { type: 'string', value: 'S', help: 'stream: a block is revealed every S seconds', absent: '72' },
    blocks: { type: 'string', value: 'N', help: 'stream: blocks revealed', absent: '50' },
    quota: { type: 'string', value: 'heavy=V,light=V', help: 'stream: vCPUs per tier', absent: "the construct's maxvCpus, 8192 each" },
    fault: { type: 'string', value: 'NAME', help: 'stream: kill-30 or spot-storm, mid-stream', absent: 'none' },
    cold: { type: 'boolean', help: 'stream: no standing fleet at t = 0' },
    'deadline-factor': { type: 'string', value: 'F', help: 'stream: each block is due F × its critical path after its reveal', absent: '2' },
    quote: { type: 'string', value: 'NAME', help: 'stream: which quote decides at reveal: every-block, or capacity (core\'s fleet-capacity check)', absent: 'every-block' },
  },
} as const satisfies CommandSpec;

/** `prover-burst simulate`: a block proven on modelled AWS under each scenario; writes a report and charts. */
export async function simulateCommand(args: string[], io: CliOutput): Promise<number> {
  const flags = parseFlags(simulateSpec, args);
  if (flags.scenario === 'stream') {
    const model = flags.model === undefined ? DEFAULT_SIM_MODEL : asUsage(() => loadSimModel(flags.model!));
    const source = flags.model === undefined ? 'the default model (sim/model/model.ts)' : `the default model overridden by ${flags.model}`;
    const out = flags.out === undefined ? freshDirectory(join('.data', 'stream'), new Date()) : ensureDirectory(flags.out);
    return streamCommand(flags, model, source, out, io);
  }
  const streamOnly = (['slot-seconds', 'blocks', 'quota', 'fault', 'deadline-factor', 'quote'] as const).filter((name) => flags[name] !== undefined);
  if (streamOnly.length > 0 || flags.cold) throw new UsageError(`--${streamOnly[0] ?? 'cold'} applies to --scenario stream only`);
  const { profile, model, expectedSeconds } = asUsage(() => {
    parsePublicCallSpec(flags['public-calls']);
    const measured = flags['proof-times'] === undefined ? undefined : readMeasuredProofTimes(flags['proof-times']);
    const named = getCircuitProfile(flags.profile);
    return {
      profile: measured ? withExpectedSeconds(named, measured) : named,
      model: flags.model === undefined ? DEFAULT_SIM_MODEL : loadSimModel(flags.model),
      expectedSeconds: measured,
    };
  });
  const txs = integerFlag('txs', flags.txs, 61_440);
  if (txs > profile.maxTxs) throw new UsageError(`--txs ${txs} is above ${profile.name}'s maximum of ${profile.maxTxs}`);
  const scenarios: ScenarioName[] =
    flags.scenario === 'all' ? [...SCENARIO_NAMES] : [asUsage(() => getScenario(flags.scenario, model)).name];
  if (flags.engine !== 'fast' && flags.engine !== 'real') throw new UsageError(`--engine must be fast or real, got "${flags.engine}"`);
  const deadline = flags.deadline === undefined ? undefined : numberFlag('deadline', flags.deadline, 0, 1);
  const seeds = integerFlag('seeds', flags.seeds, 1);
  const parallelism = integerFlag('parallel', flags.parallel, availableParallelism());
  // Checked before the simulation runs: a path that cannot be written fails now, not after minutes of work.
  const out = flags.out === undefined ? freshDirectory(DEFAULT_OUT_ROOT, new Date()) : ensureDirectory(flags.out);
  const [{ simulateBlock }, { writeSimulationReport }] = await Promise.all([import('../../sim/engine/simulateBlock.js'), import('../../sim/report/writeSimulationReport.js')]);
  const simulation = await simulateBlock({
    block: { profile: profile.name, txs, publicCalls: flags['public-calls'], ...(expectedSeconds ? { expectedSeconds } : {}) },
    scenarios,
    seeds,
    ...(deadline === undefined ? {} : { deadlineSeconds: deadline }),
    model,
    engine: flags.engine,
    parallelism,
  });
  const report = writeSimulationReport(out, simulation, {
    model,
    modelSource: flags.model === undefined ? 'the default model (sim/model/model.ts)' : `the default model overridden by ${flags.model}`,
    engine: flags.engine,
  });
  if (flags.json) {
    io.out(JSON.stringify(flags.scenario === 'all' ? simulation.results : simulation.results[0]));
    return 0;
  }
  io.out(report.markdown);
  const replaced = report.replacedCharts.length > 0 ? ` (removed ${report.replacedCharts.length} chart(s) of the report it replaced)` : '';
  io.out(`wrote ${report.markdownPath} and ${report.chartPaths.length} chart(s)${replaced}`);
  return 0;
}
