import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hex } from 'viem';
import { bbOrThrow, bbVersion, type BbTarget } from './bbCli.js';
import { buildOnce } from './buildOnce.js';
import { NoirCircuitError } from '../errors/proverErrors.js';
import { rootVerifierSolidity } from './rootVerifierSolidity.js';
import { sha256File } from './srs/developmentSrs.js';
import type { StructuredReferenceString } from './srs/structuredReferenceString.js';

/** The Noir sources of the noir-tree profile. */
export const NOIR_TREE_SOURCES = fileURLToPath(new URL('../../../circuits/noir-tree', import.meta.url));

export type NoirTreeCircuitName = 'tx' | 'merge' | 'root';

/**
 * Children are proven for verification inside a circuit (Poseidon2 transcript); the root for L1 (keccak). None uses
 * zero knowledge: every witness is public data (the body, the children's proofs), and ZK roughly doubles prove time.
 */
export const NOIR_TREE_TARGETS: Readonly<Record<NoirTreeCircuitName, BbTarget>> = {
  tx: 'noir-recursive-no-zk',
  merge: 'noir-recursive-no-zk',
  root: 'evm-no-zk',
};

/** A compiled circuit and its verification key, as bb and noir_js take them. */
export interface CompiledNoirCircuit {
  readonly name: NoirTreeCircuitName;
  readonly target: BbTarget;
  /** The ACIR program (noir_wasm's output) bb reads. */
  readonly bytecodePath: string;
  readonly vkPath: string;
  readonly vk: Uint8Array;
  readonly vkHash: Hex;
}

/** The noir-tree circuits built for one SRS, content-addressed in the cache. */
export interface NoirTreeCircuits {
  /** sha256 over the sources, the compiler, bb and the SRS: the cache entry's name. */
  readonly key: string;
  readonly directory: string;
  readonly srs: StructuredReferenceString;
  readonly noirVersion: string;
  readonly bbVersion: string;
  readonly tx: CompiledNoirCircuit;
  readonly merge: CompiledNoirCircuit;
  readonly root: CompiledNoirCircuit;
  /** bb's optimized Solidity verifier of the root, its pairing against this SRS's τ·G2 (see rootVerifierSolidity.ts). */
  readonly rootVerifierSolidity: string;
}

export interface BuildNoirTreeCircuitsOptions {
  readonly cacheDirectory: string;
  readonly srs: StructuredReferenceString;
  /** The genuine bb (proving and key generation never involve τ·G2). */
  readonly bbBinary: string;
  /** @default NOIR_TREE_SOURCES */
  readonly sources?: string;
  readonly log?: (message: string) => void;
}

const built = new Map<string, Promise<NoirTreeCircuits>>();

/**
 * Compiles the circuits with noir_wasm and derives their keys with bb, once per machine and SRS: tx first; the
 * merge with the tx key's hash compiled in; the root with both; then the root's Solidity verifier. A merge cannot
 * pin its own key (it would have to contain its own hash), so it publishes the merge key it checked its merge
 * children under and the root pins that (docs/real-proofs.md).
 */
export function buildNoirTreeCircuits(options: BuildNoirTreeCircuitsOptions): Promise<NoirTreeCircuits> {
  const key = `${options.srs.kind}:${options.srs.g1Sha256}:${options.bbBinary}`;
  let building = built.get(key);
  if (!building) {
    building = build(options);
    built.set(key, building);
    building.catch(() => built.delete(key));
  }
  return building;
}

async function build(options: BuildNoirTreeCircuitsOptions): Promise<NoirTreeCircuits> {
  const { srs, bbBinary } = options;
  const noirVersion = packageVersion('@noir-lang/noir_wasm');
  const bb = await bbVersion(bbBinary);
  const sourceDirectory = options.sources ?? NOIR_TREE_SOURCES;
  const key = await contentKey(sourceDirectory, {
    noirVersion,
    bb,
    bbSha256: await sha256File(bbBinary),
    srs: `${srs.kind}:${srs.g1Sha256}`,
    targets: NOIR_TREE_TARGETS,
  });
  const directory = join(options.cacheDirectory, 'noir-tree', `${srs.kind}-${key.slice(0, 16)}`);
  const run = { crsPath: srs.directory };
  await buildOnce(directory, async (temporary) => {
    const log = options.log ?? (() => undefined);
    const sources = join(temporary, 'sources');
    await cp(sourceDirectory, sources, { recursive: true });
    const make = async (name: NoirTreeCircuitName, constants: Readonly<Record<string, Hex>>) => {
      if (Object.keys(constants).length > 0) {
        const lines = Object.entries(constants).map(([constant, value]) => `pub global ${constant}: Field = ${value};`);
        await writeFile(join(sources, name, 'src', 'vk_hashes.nr'), `// Generated for this build.\n${lines.join('\n')}\n`);
      }
      log(`compiling ${name}`);
      const program = await compileNoir(join(sources, name));
      await writeFile(join(temporary, `${name}.json`), JSON.stringify(program));
      log(`deriving the ${name} verification key`);
      const keyDirectory = join(temporary, `${name}-vk`);
      await bbOrThrow(bbBinary, ['write_vk', '-b', join(temporary, `${name}.json`), '-o', keyDirectory, '-t', NOIR_TREE_TARGETS[name]], run);
      const vkHash: Hex = `0x${(await readFile(join(keyDirectory, 'vk_hash'))).toString('hex')}`;
      return vkHash;
    };
    const txVkHash = await make('tx', {});
    const mergeVkHash = await make('merge', { TX_VK_HASH: txVkHash });
    await make('root', { TX_VK_HASH: txVkHash, MERGE_VK_HASH: mergeVkHash });
    log('writing the root verifier contract');
    const generated = join(temporary, 'HonkVerifier.sol');
    await bbOrThrow(bbBinary, ['write_solidity_verifier', '-k', join(temporary, 'root-vk', 'vk'), '-o', generated, '-t', NOIR_TREE_TARGETS.root, '--optimized'], run);
    await writeFile(join(temporary, 'manifest.json'), JSON.stringify({ key, noirVersion, bbVersion: bb, srs: { kind: srs.kind, g1Sha256: srs.g1Sha256 } }, null, 2));
  });
  const circuit = async (name: NoirTreeCircuitName): Promise<CompiledNoirCircuit> => {
    const vkPath = join(directory, `${name}-vk`, 'vk');
    return {
      name,
      target: NOIR_TREE_TARGETS[name],
      bytecodePath: join(directory, `${name}.json`),
      vkPath,
      vk: new Uint8Array(await readFile(vkPath)),
      vkHash: `0x${(await readFile(join(directory, `${name}-vk`, 'vk_hash'))).toString('hex')}`,
    };
  };
  return {
    key,
    directory,
    srs,
    noirVersion,
    bbVersion: bb,
    tx: await circuit('tx'),
    merge: await circuit('merge'),
    root: await circuit('root'),
    // bb's contract is cached as bb wrote it; making it ours is cheap and follows the code that does it.
    rootVerifierSolidity: rootVerifierSolidity(await readFile(join(directory, 'HonkVerifier.sol'), 'utf8'), srs, bb),
  };
}

/** Compiles one Noir package (path dependencies resolve on disk) with noir_wasm. */
async function compileNoir(packageDirectory: string): Promise<unknown> {
  const { compile, createFileManager } = await import('@noir-lang/noir_wasm');
  const quiet = () => undefined;
  // noir_wasm prints "Compiling at …" with console.log whatever logger it is given; stdout may be a live view.
  const log = console.log;
  console.log = quiet;
  try {
    const result = await compile(createFileManager(packageDirectory), undefined, quiet, quiet);
    return result.program;
  } catch (error) {
    throw new NoirCircuitError(`noir_wasm could not compile ${packageDirectory}: ${describeCompileError(error)}`, { packageDirectory });
  } finally {
    console.log = log;
  }
}

function describeCompileError(error: unknown): string {
  const diagnostics = (error as { diagnostics?: { diagnostics?: { message: string; file?: string }[] }[] }).diagnostics;
  const messages = diagnostics?.flatMap((d) => d.diagnostics ?? []).map((d) => `${d.file ?? ''}: ${d.message}`) ?? [];
  return messages.length > 0 ? messages.join('; ') : error instanceof Error ? error.message : String(error);
}

async function contentKey(sources: string, settings: object): Promise<string> {
  const hash = createHash('sha256').update('noir-tree/1').update(JSON.stringify(settings));
  for (const file of await filesUnder(sources)) {
    hash.update(relative(sources, file)).update('\0').update(await readFile(file)).update('\0');
  }
  return hash.digest('hex');
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = (await readdir(directory, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(directory, entry.name);
    files.push(...(entry.isDirectory() ? await filesUnder(path) : [path]));
  }
  return files;
}

/** An installed package's version (found from its entry point: not every package exports its package.json). */
function packageVersion(name: string): string {
  let directory = dirname(createRequire(import.meta.url).resolve(name));
  while (!existsSync(join(directory, 'package.json')) || !readFileSync(join(directory, 'package.json'), 'utf8').includes(`"name": "${name}"`)) {
    const parent = dirname(directory);
    if (parent === directory) throw new NoirCircuitError(`cannot find the package.json of ${name}`);
    directory = parent;
  }
  return (JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { version: string }).version;
}
