// `npm run bench`: runs every benchmark in its own process, then writes bench/RESULTS.md from the result files.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESULTS_DIR } from './writeResult.js';

interface Benchmark {
  readonly name: string;
  readonly script: string;
  readonly target: string;
  readonly summary: (result: Record<string, unknown>) => string;
  /** Run only when named (`npm run bench -- NAME`): too long for every `npm run bench`. */
  readonly onlyWhenNamed?: boolean;
}

const BENCHMARKS: readonly Benchmark[] = [
  {
    name: 'plan',
    script: 'plan.bench.ts',
    target: '< 1,500 ms and < 400 MB',
    summary: (r) => `${String(r.jobs)} jobs for ${String(r.txs)} txs in ${String(r.wallMs)} ms, peak RSS ${String(r.peakRssMb)} MB`,
  },
  {
    name: 'embedded',
    script: 'embedded.bench.ts',
    target: '≥ 5,000 jobs/s through store + queue + agent loop',
    summary: (r) =>
      `${String(r.jobs)} jobs in ${String(r.seconds)} s = ${String(r.jobsPerSecond)} jobs/s (${String(r.agentsPerTier)} agents per tier, zero-duration prover)`,
  },
  {
    name: 'gas',
    script: 'gas.bench.ts',
    target: 'recorded, no target (gas per protocol step)',
    summary: (r) =>
      Object.entries(r)
        .map(([step, gas]) => {
          if (typeof gas !== 'object' || gas === null) return `${step} ${String(gas)}`;
          const { total, perBlock } = gas as { total: number; perBlock: number };
          return `${step} ${total} (${perBlock}/block)`;
        })
        .join(', '),
  },
  {
    name: 'incentives',
    script: 'incentives.bench.ts',
    target: 'no deviation pays more than the honest path, at any block size (devnet defaults as deployed)',
    summary: (r) => {
      const worst = r.worstCase as { actor: string; deviation: string; maxAdvantageEth: string }[];
      const verdict = r.noDeviationPays === true ? 'no deviation pays' : 'A DEVIATION PAYS';
      return `${verdict} over ${String(r.checkedTxCounts)} txs; best deviation vs honest (ETH): ${worst.map((w) => `${w.actor}.${w.deviation} ${w.maxAdvantageEth}`).join(', ')}`;
    },
  },
  {
    name: 'aws-calls',
    script: 'aws-calls.bench.ts',
    target: 'recorded: AWS requests and DynamoDB write units per proof (a 32-tx block on the emulators)',
    summary: (r) =>
      `${String(r.requestsPerProof)} requests/proof, ${String(r.dynamodbWriteUnitsPerProof)} DynamoDB WCU/proof over ${String(r.proofs)} proofs (${String(r.emulators)} emulators)`,
  },
  {
    name: 'real-proofs',
    script: 'proofs.bench.ts',
    target: 'recorded: real noir-tree proofs (development SRS) per kind, 4- and 8-tx blocks to L1, verify gas',
    summary: (r) => {
      const kinds = r.kinds as Record<string, { proveSeconds: { median: number }; peakMemoryMb: number; proofBytes: number }>;
      const blocks = r.blocks as { txs: number; planToRootSeconds: number }[];
      const perKind = Object.entries(kinds).map(([kind, k]) => `${kind} ${k.proveSeconds.median} s / ${k.peakMemoryMb} MB / ${k.proofBytes} B`);
      const perBlock = blocks.map((b) => `${b.txs} txs ${b.planToRootSeconds.toFixed(0)} s`);
      return `prove (median) / peak memory / proof: ${perKind.join('; ')}; blocks plan→root: ${perBlock.join(', ')}; verify ${String(r.verifyGas)} gas`;
    },
  },
  {
    name: 'simulate',
    script: 'simulate.bench.ts',
    target: 'makespan ≤ 1.15 × bound, compute ≤ 1.2 × lower bound, control plane ≤ 1 %, < 60 s per simulation',
    summary: (r) => {
      const ratios = r.ratios as Record<string, { makespan: number | null; compute: number; controlPlanePercent: number }>;
      const perScenario = Object.entries(ratios).map(
        ([scenario, x]) => `${scenario} ${String(x.makespan)}× / ${String(x.compute)}× / ${String(x.controlPlanePercent)} %`,
      );
      return `${String(r.txs)} txs, makespan / compute / control plane: ${perScenario.join('; ')}; ${String(r.wallSecondsPerSimulation)} s per simulation (details: bench/results/sim/simulate.md)`;
    },
  },
  {
    name: 'stream',
    script: 'stream.bench.ts',
    target: 'stream (72 s slots, mix, 50 blocks): 100 % committed on time, p95 makespan ≤ 1.25 × critical path, steady compute ≤ 1.2 × bound, control plane ≤ 1 %, ≤ 50 Batch TPS, < 60 s per 50 blocks',
    summary: (r) => {
      const s = r.stream as {
        blocks: { proven: number; quoted: number };
        makespanOverCriticalPath: { p95: number | null };
        compute: { steadyState: { ratio: number } };
        controlPlaneShare: number;
        peakBatchApiTps: number;
      };
      const scaling = (r.scaling as { quotaVcpus: number; sustainedTxsPerSecond: number | null }[]).map(
        (row) => `${row.quotaVcpus}: ${row.sustainedTxsPerSecond === null ? 'none' : row.sustainedTxsPerSecond.toFixed(1)}`,
      );
      return (
        `${s.blocks.proven}/${s.blocks.quoted} on time, p95 ${String(s.makespanOverCriticalPath.p95?.toFixed(2))}×, steady compute ${s.compute.steadyState.ratio.toFixed(2)}×, ` +
        `control plane ${(100 * s.controlPlaneShare).toFixed(2)} %, ${s.peakBatchApiTps} TPS, ${String(r.wallSecondsFor50Blocks)} s wall; ` +
        `sustained txs/s by quota: ${scaling.join(', ')} (details: bench/results/stream/simulate.md)`
      );
    },
  },
  {
    name: 'whatif',
    script: 'whatif.bench.ts',
    target: 'recorded: which AWS limit stops the stream targets (each AWS part ideal alone, all, all but one; run by name only)',
    onlyWhenNamed: true,
    summary: (r) => {
      const rows = r.rows as { quota: { heavy: number }; row: string; figures: { p95: number | null; steadyCompute: number } }[];
      const shown = rows.filter((row) => row.row === 'as-modelled' || row.row === 'all-ideal');
      return (
        shown.map((row) => `${row.quota.heavy} ${row.row}: p95 ${String(row.figures.p95)}, steady ${row.figures.steadyCompute}×`).join('; ') +
        ' (details: bench/results/whatif/attribution.md)'
      );
    },
  },
];

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const selected = only.length ? BENCHMARKS.filter((b) => only.includes(b.name)) : BENCHMARKS.filter((b) => b.onlyWhenNamed !== true);
if (selected.length === 0) {
  process.stderr.write(`unknown benchmark(s) ${only.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}\n`);
  process.exit(2);
}

let failed = false;
for (const bench of selected) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, bench.script)], { stdio: 'inherit' });
  if (run.status !== 0) {
    process.stderr.write(`benchmark ${bench.name} failed with exit code ${String(run.status)}\n`);
    failed = true;
  }
}

const rows = BENCHMARKS.map((bench) => {
  const path = join(RESULTS_DIR, `${bench.name}.json`);
  if (!existsSync(path)) return `| ${bench.name} | ${bench.target} | not run |`;
  const result = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  return `| ${bench.name} | ${bench.target} | ${bench.summary(result)} |`;
});
writeFileSync(
  join(here, 'RESULTS.md'),
  [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${process.platform}/${process.arch}).`,
    'Each row reads its `bench/results/<name>.json`.',
    '',
    '| benchmark | target | measured |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n'),
);
process.exitCode = failed ? 1 : 0;
