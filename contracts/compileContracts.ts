import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContractCompilationError } from './contractCompilationError.js';

/** The contracts we deploy, and the artifact module each one becomes (`contracts/artifacts/<artifact>.ts`). */
export const DEPLOYED_CONTRACTS = [
  { source: 'Rollup.sol', name: 'Rollup', artifact: 'rollup' },
  { source: 'escrow/ProverEscrow.sol', name: 'ProverEscrow', artifact: 'proverEscrow' },
  { source: 'verifier/VerifierRegistry.sol', name: 'VerifierRegistry', artifact: 'verifierRegistry' },
  {
    source: 'verifier/DevelopmentAttestationVerifier.sol',
    name: 'DevelopmentAttestationVerifier',
    artifact: 'developmentAttestationVerifier',
  },
  { source: 'verifier/noirTree/NoirTreeRootVerifier.sol', name: 'NoirTreeRootVerifier', artifact: 'noirTreeRootVerifier' },
  {
    source: 'verifier/noirTree/NoirTreeRootHonkVerifierDevelopmentSrs.sol',
    name: 'NoirTreeRootHonkVerifierDevelopmentSrs',
    artifact: 'noirTreeRootHonkVerifierDevelopmentSrs',
    // bb's optimized verifier, paired against the development SRS's τ·G2: reviewed where it is generated, not here.
    generatedBy: 'npm run build:circuits',
  },
] as const;

/** Sources another tool writes (not reviewed line by line in this repository, so not linted as if they were). */
export const GENERATED_SOURCES: readonly string[] = DEPLOYED_CONTRACTS.flatMap((contract) => ('generatedBy' in contract ? [contract.source] : []));

/** Fixed compiler settings: the EVM version is explicit so a compiler upgrade cannot silently change opcodes. */
export const COMPILER_SETTINGS = { evmVersion: 'cancun', optimizer: { enabled: true, runs: 200 } } as const;

export const SOURCE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'src');

export interface CompiledContract {
  readonly name: string;
  readonly source: string;
  readonly artifact: string;
  readonly abi: readonly unknown[];
  readonly bytecode: `0x${string}`;
}

export interface CompilationResult {
  readonly compilerVersion: string;
  readonly contracts: readonly CompiledContract[];
}

interface SolcOutput {
  readonly errors?: readonly { readonly severity: string; readonly formattedMessage: string }[];
  readonly contracts: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
}

interface Solc {
  version(): string;
  compile(input: string): string;
}

/**
 * Compiles every `.sol` file under contracts/src with the solc npm package (no compiler download). Source units are
 * named by their path relative to contracts/src, so the output does not depend on where the repository lives.
 * Any warning fails the build: the contracts are kept warning-free.
 */
export function compileContracts(): CompilationResult {
  const solc = createRequire(import.meta.url)('solc') as Solc;
  const input = standardJsonInput(['abi', 'evm.bytecode.object']);
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const diagnostics = (output.errors ?? []).map((error) => error.formattedMessage);
  if (diagnostics.length > 0) throw new ContractCompilationError(diagnostics);
  return {
    compilerVersion: solc.version(),
    contracts: DEPLOYED_CONTRACTS.map(({ source, name, artifact }) => {
      const compiled = output.contracts[source]?.[name];
      if (!compiled) throw new ContractCompilationError([`${source} produced no contract ${name}`]);
      return { name, source, artifact, abi: compiled.abi, bytecode: `0x${compiled.evm.bytecode.object}` as const };
    }),
  };
}

/** The compiler's standard-JSON input for every `.sol` file under contracts/src, asking for `outputs` of each contract. */
export function standardJsonInput(outputs: readonly string[], { skip = [] }: { readonly skip?: readonly string[] } = {}) {
  const sources: Record<string, { content: string }> = {};
  for (const path of solidityFiles(SOURCE_DIR)) {
    const unit = relative(SOURCE_DIR, path).split(sep).join('/');
    if (!skip.includes(unit)) sources[unit] = { content: readFileSync(path, 'utf8') };
  }
  return {
    language: 'Solidity',
    sources,
    settings: { ...COMPILER_SETTINGS, outputSelection: { '*': { '*': [...outputs] } } },
  } as const;
}

function solidityFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return solidityFiles(path);
      return entry.name.endsWith('.sol') ? [path] : [];
    });
}
