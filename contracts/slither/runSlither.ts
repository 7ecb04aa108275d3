// `npm run lint:solidity`: Slither (PyPI slither-analyzer, in .tools/slither) over contracts/src, compiled exactly as
// the project compiles it (solc-js, contracts/compileContracts.ts settings) through the `solc` wrapper next to this
// file. Fails on any finding of low impact or above that slither.config.json does not exclude with its reason.
// Generated sources are left out: bb's Honk verifier (thousands of lines of assembly-heavy Yul) sends Slither 0.11.6's
// SSA pass into a RecursionError, and its review belongs to the generator. Nothing we write imports it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_SOURCES, SOURCE_DIR, standardJsonInput } from '../compileContracts.js';

const here = dirname(fileURLToPath(import.meta.url));
const slither = join(here, '..', '..', '.tools', 'slither', 'bin', 'slither');
const work = mkdtempSync(join(tmpdir(), 'pb-slither-'));
try {
  // crytic-compile adds the outputs it needs (ASTs, bytecode) when the input names none.
  const { settings, ...input } = standardJsonInput([], { skip: GENERATED_SOURCES });
  const { outputSelection: _, ...compilerSettings } = settings;
  const inputPath = join(work, 'standard-input.json');
  writeFileSync(inputPath, JSON.stringify({ ...input, settings: compilerSettings }));
  // Source units are named relative to contracts/src, so Slither runs there to find them on disk.
  const run = spawnSync(
    slither,
    [inputPath, '--compile-force-framework', 'solc-json', '--solc', join(here, 'solc.mjs'), '--config-file', join(here, 'slither.config.json')],
    { cwd: SOURCE_DIR, stdio: 'inherit' },
  );
  if (run.error) throw run.error;
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
