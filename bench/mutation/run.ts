// `npm run test:mutation [-- SCOPE… | --force | --concurrency N | --report]`: mutation testing with StrykerJS, one scope (a
// folder, see scopes.ts) at a time, in incremental mode; then bench/results/mutation.json from every scope's report.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stryker } from '@stryker-mutator/core';
import type { PartialStrykerOptions } from '@stryker-mutator/api/core';
import { RESULTS_DIR } from '../writeResult.js';
import { FILE_FLOOR, MUTATION_SCOPES, NO_TIMEOUT_FILES, TARGET_SCORE, type MutationScope } from './scopes.js';
import { addCounts, summarizeReport, type MutationCounts, type MutationReport } from './summarize.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
/** Stryker's incremental reports, one per scope, committed: a rerun (here or on a fresh clone) mutates only what changed. */
const INCREMENTAL_DIR = join(here, 'incremental');

const slug = (scope: MutationScope) => scope.name.replaceAll('/', '_').replace(/\.ts$/, '');
const incrementalFile = (scope: MutationScope) => join(INCREMENTAL_DIR, `${slug(scope)}.json`);

function parseArguments(argv: readonly string[]) {
  const names: string[] = [];
  let force = false;
  let reportOnly = false;
  let concurrency = 1;
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i]!;
    if (argument === '--force') force = true;
    else if (argument === '--report') reportOnly = true;
    else if (argument === '--concurrency') concurrency = Number(argv[++i]);
    else names.push(argument.replace(/\/$/, ''));
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`--concurrency must be a positive integer, got ${concurrency}`);
  const scopes = names.length === 0 ? MUTATION_SCOPES : MUTATION_SCOPES.filter((scope) => names.some((name) => scope.name === name || scope.name.startsWith(`${name}/`)));
  const unknown = names.filter((name) => !MUTATION_SCOPES.some((scope) => scope.name === name || scope.name.startsWith(`${name}/`)));
  if (unknown.length > 0) {
    throw new RangeError(`unknown mutation scope(s) ${unknown.join(', ')}; known: ${MUTATION_SCOPES.map((scope) => scope.name).join(', ')}`);
  }
  return { scopes, force, reportOnly, concurrency };
}

function strykerOptions(scope: MutationScope, force: boolean, concurrency: number): PartialStrykerOptions {
  return {
    testRunner: 'vitest',
    vitest: { configFile: 'vitest.mutation.config.ts', related: false },
    mutate: [...scope.mutate],
    testFiles: [...scope.tests],
    coverageAnalysis: 'perTest',
    // A static mutant (one only evaluated as a module loads, e.g. a module-level constant) needs every module loaded
    // again, which one shared module graph (vitest.mutation.config.ts) does not do: it is not run, and counted apart.
    ignoreStatic: true,
    concurrency,
    incremental: true,
    incrementalFile: relative(root, incrementalFile(scope)),
    force,
    appendPlugins: [join(here, 'ignoreLogCalls.mjs')],
    ignorers: ['logCalls'],
    reporters: ['clear-text', 'progress', 'html'],
    clearTextReporter: { allowEmojis: false, logTests: false, reportScoreTable: true },
    htmlReporter: { fileName: `reports/mutation/${slug(scope)}.html` },
    // The sandbox is a copy of the repository: leave out what tests never read.
    ignorePatterns: ['.venv', '.tools', '.data', '.scratch', 'cdk.out', 'coverage', 'reports', 'bench/results', 'bench/mutation/incremental'],
    tempDirName: '.stryker-tmp',
    cleanTempDir: true,
  };
}

/** Reads every scope's report and writes the per-file counts, per-scope totals and the target check. */
function writeSummary(): string {
  const files: Record<string, MutationCounts> = {};
  const scopes: Record<string, { tests: readonly string[]; total: MutationCounts }> = {};
  for (const scope of MUTATION_SCOPES) {
    if (!existsSync(incrementalFile(scope))) continue;
    const perFile = summarizeReport(JSON.parse(readFileSync(incrementalFile(scope), 'utf8')) as MutationReport);
    Object.assign(files, perFile);
    scopes[scope.name] = { tests: scope.tests, total: addCounts(Object.values(perFile)) };
  }
  const total = addCounts(Object.values(files));
  const below = Object.entries(files).filter(([, counts]) => counts.score !== null && counts.score < FILE_FLOOR).map(([file]) => file);
  const timeouts = NO_TIMEOUT_FILES.filter((file) => (files[file]?.timeout ?? 0) > 0);
  const summary = {
    tool: 'StrykerJS 9.6.1, vitest runner, perTest coverage, incremental; mutants inside log calls ignored, static mutants not run',
    targets: {
      score: TARGET_SCORE,
      fileFloor: FILE_FLOOR,
      met: total.score !== null && total.score >= TARGET_SCORE && below.length === 0 && timeouts.length === 0,
      filesBelowFloor: below,
      noTimeoutFiles: NO_TIMEOUT_FILES,
      noTimeoutFilesWithTimeouts: timeouts,
    },
    total,
    scopes,
    files,
  };
  const path = join(RESULTS_DIR, 'mutation.json');
  writeFileSync(path, `${JSON.stringify(summary, null, 2)}\n`);
  const row = (name: string, c: MutationCounts) =>
    `${name.padEnd(48)} ${String(c.score ?? '-').padStart(5)} %  ${String(c.killed).padStart(4)} killed ${String(c.survived).padStart(3)} survived ${String(c.noCoverage).padStart(3)} no coverage ${String(c.timeout).padStart(3)} timeout`;
  process.stdout.write(`\n${[...Object.entries(files).map(([file, c]) => row(file, c)), row('total', total)].join('\n')}\n`);
  process.stdout.write(`targets (≥ ${TARGET_SCORE} % overall, no file < ${FILE_FLOOR} %, no timeout in ${NO_TIMEOUT_FILES.length} files): ${summary.targets.met ? 'met' : 'not met'}; written to ${relative(root, path)}\n`);
  return path;
}

const { scopes, force, reportOnly, concurrency } = parseArguments(process.argv.slice(2));
mkdirSync(INCREMENTAL_DIR, { recursive: true });
process.chdir(root);
for (const scope of reportOnly ? [] : scopes) {
  process.stdout.write(`\nmutation testing ${scope.name} against ${scope.tests.join(', ')}\n`);
  await new Stryker(strykerOptions(scope, force, concurrency)).runMutationTest();
}
const leftovers = readdirSync(INCREMENTAL_DIR).filter((name) => !MUTATION_SCOPES.some((scope) => `${slug(scope)}.json` === name));
if (leftovers.length > 0) process.stderr.write(`incremental reports of no scope (delete them): ${leftovers.join(', ')}\n`);
writeSummary();
