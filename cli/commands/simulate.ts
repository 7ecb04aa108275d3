import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePublicCallSpec } from '../../core/body/publicCallSpec.js';
import { getCircuitProfile } from '../../core/profiles/getCircuitProfile.js';
import { loadSimModel } from '../../sim/loadSimModel.js';
import { DEFAULT_SIM_MODEL } from '../../sim/model.js';
import { SCENARIO_NAMES, getScenario, type ScenarioName } from '../../sim/scenarios.js';
import { simulateBlock } from '../../sim/simulateBlock.js';
import { writeSimulationReport } from '../../sim/writeSimulationReport.js';
import type { CliOutput } from '../output.js';
import { integerFlag, numberFlag, parseFlags } from '../parseFlags.js';
import { asUsage, UsageError } from '../usageError.js';

/** Where the report goes unless `--out` says otherwise: the repository's bench results. */
const DEFAULT_OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results', 'sim');

export const simulateUsage = `prover-burst simulate [--txs N] [--public-calls SPEC] [--profile NAME] [--scenario NAME] [--deadline S] [--seeds K] [--json] [--out DIR] [--model FILE]
  Simulates proving one block on modelled AWS with the real scaler and tree walk, against two baselines.
  --txs           txs in the block (default 61440)
  --public-calls  a count or a distribution, as for \`plan\` (default 2)
  --profile       rfp-2023 (default) or aztec-v5
  --scenario      ${SCENARIO_NAMES.join(', ')} or all (default warm)
  --deadline      proving deadline in seconds (default 2 × critical path)
  --seeds         seeds to run, 1…K (default 1); figures are means over them
  --json          print the results as JSON (one object, or an array with --scenario all)
  --out           directory for simulate.md and the SVG charts (default bench/results/sim)
  --model         JSON file overriding parts of the AWS model (sim/model.ts documents every value)
  --engine        fast (default) or real: the core agent loop itself, ~10× slower
  --parallel      simulations at once (default: one per CPU)`;

/** `prover-burst simulate`: a block proven on modelled AWS under each scenario; writes a report and charts. */
export async function simulateCommand(args: string[], io: CliOutput): Promise<number> {
  const flags = parseFlags('simulate', args, {
    txs: { type: 'string' },
    'public-calls': { type: 'string', default: '2' },
    profile: { type: 'string' },
    scenario: { type: 'string', default: 'warm' },
    deadline: { type: 'string' },
    seeds: { type: 'string' },
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
    model: { type: 'string' },
    engine: { type: 'string', default: 'fast' },
    parallel: { type: 'string' },
  });
  const { profile, model } = asUsage(() => {
    parsePublicCallSpec(flags['public-calls']);
    return { profile: getCircuitProfile(flags.profile), model: flags.model === undefined ? DEFAULT_SIM_MODEL : loadSimModel(flags.model) };
  });
  const txs = integerFlag('txs', flags.txs, 61_440);
  if (txs > profile.maxTxs) throw new UsageError(`--txs ${txs} is above ${profile.name}'s maximum of ${profile.maxTxs}`);
  const scenarios: ScenarioName[] =
    flags.scenario === 'all' ? [...SCENARIO_NAMES] : [asUsage(() => getScenario(flags.scenario, model)).name];
  if (flags.engine !== 'fast' && flags.engine !== 'real') throw new UsageError(`--engine must be fast or real, got "${flags.engine}"`);
  const deadline = flags.deadline === undefined ? undefined : numberFlag('deadline', flags.deadline, 0, 1);
  const simulation = await simulateBlock({
    block: { profile: profile.name, txs, publicCalls: flags['public-calls'] },
    scenarios,
    seeds: integerFlag('seeds', flags.seeds, 1),
    ...(deadline === undefined ? {} : { deadlineSeconds: deadline }),
    model,
    engine: flags.engine,
    parallelism: integerFlag('parallel', flags.parallel, availableParallelism()),
  });
  const report = writeSimulationReport(resolve(flags.out ?? DEFAULT_OUT), simulation, {
    model,
    modelSource: flags.model === undefined ? 'the default model (sim/model.ts)' : `the default model overridden by ${flags.model}`,
    engine: flags.engine,
  });
  if (flags.json) {
    io.out(JSON.stringify(flags.scenario === 'all' ? simulation.results : simulation.results[0]));
    return 0;
  }
  io.out(report.markdown);
  io.out(`wrote ${report.markdownPath} and ${report.chartPaths.length} chart(s)`);
  return 0;
}
