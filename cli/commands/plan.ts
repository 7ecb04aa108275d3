import { getCircuitProfile } from '../../core/profiles/getCircuitProfile.js';
import { parsePublicCallSpec } from '../../core/body/publicCallSpec.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { formatCount, formatTable, type CliOutput } from '../output.js';
import { integerFlag, parseFlags, type CommandSpec } from '../parseFlags.js';
import { asUsage, UsageError } from '../usageError.js';

export const planSpec = {
  name: 'plan',
  summary: 'Plans the proof DAG of a synthetic block and prints its jobs per kind, tree depth and critical path.',
  flags: {
    txs: { type: 'string', value: 'N', help: 'txs in the block', absent: 'required' },
    'public-calls': { type: 'string', value: 'SPEC', help: 'calls per tx: a count (2) or count:probability pairs summing to 1', default: '0:0.5,1:0.3,4:0.2' },
    profile: { type: 'string', value: 'NAME', help: 'circuit profile: rfp-2023 or aztec-v5', default: 'rfp-2023' },
    seed: { type: 'string', value: 'S', help: 'seed for tx hashes and sampled call counts', default: '1' },
    json: { type: 'boolean', help: 'print one JSON object instead of the table' },
    tree: { type: 'boolean', help: 'also list the merge tree positions of the leaves and merges' },
  },
} as const satisfies CommandSpec;

/** `prover-burst plan`: plan a synthetic block and print its jobs, depth and critical path. */
export async function planCommand(args: string[], io: CliOutput): Promise<number> {
  const flags = parseFlags(planSpec, args);
  const txs = integerFlag('txs', flags.txs, 0);
  const { profile, publicCalls } = asUsage(() => ({
    profile: getCircuitProfile(flags.profile),
    publicCalls: parsePublicCallSpec(flags['public-calls']),
  }));
  if (txs > profile.maxTxs) throw new UsageError(`--txs ${txs} is above ${profile.name}'s maximum of ${profile.maxTxs}`);

  // The planner loads once the flags are known to be good: bad input fails fast.
  const [{ planBlock }, { mergeTreeShape }] = await Promise.all([import('../../core/plan/planBlock.js'), import('../../core/plan/mergeTree.js')]);
  const body = syntheticBlockBody({ txs, publicCalls, seed: flags.seed });
  const started = performance.now();
  const plan = planBlock(body, profile);
  const planMs = Math.round((performance.now() - started) * 10) / 10;

  const summary = {
    profile: profile.name,
    txs,
    jobs: { total: plan.size, byKind: plan.countsByKind },
    depth: plan.depth,
    criticalPathSeconds: plan.criticalPathSeconds,
    planMs,
    ...(flags.tree ? { tree: (({ leaves, merges }) => ({ leaves, merges }))(mergeTreeShape(txs)) } : {}),
  };
  if (flags.json) {
    io.out(JSON.stringify(summary));
    return 0;
  }
  io.out(`prover-burst plan · profile ${profile.name} · ${formatCount(txs)} txs`);
  const rows: (string | number)[][] = [['kind', 'tier', 'jobs', 'expected s']];
  for (const [kind, count] of Object.entries(plan.countsByKind)) {
    const spec = profile.kinds[kind]!;
    rows.push([kind, spec.tier, count, spec.expectedSeconds]);
  }
  rows.push(['total', '', plan.size, '']);
  for (const line of formatTable(rows)) io.out(`  ${line}`);
  io.out(`tree depth ${plan.depth} · critical path ${plan.criticalPathSeconds} s · planned in ${planMs} ms`);
  if (summary.tree) {
    io.out(`leaves: ${summary.tree.leaves.map(([l, i]) => `(${l},${i})`).join(' ')}`);
    io.out(`merges: ${summary.tree.merges.map(([l, i]) => `(${l},${i})`).join(' ')}`);
  }
  return 0;
}
