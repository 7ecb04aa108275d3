import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex } from 'viem';
import { InvalidChildProofError } from '../../../core/errors/index.js';
import type { Noir } from '@noir-lang/noir_js';
import type { ProofRequest, ProverBackend } from '../../../core/ports/proverBackend.js';
import { bbOrThrow, lastLines, runBb, type BbRun } from './bbCli.js';
import { NoirCircuitError, NoirTreeInputError, ProofVerificationError } from '../errors/proverErrors.js';
import type { CompiledNoirCircuit, NoirTreeCircuitName, NoirTreeCircuits } from './noirTreeCircuits.js';
import { childKindsOf, childWitnessInputs, rootPublicInputFields, rootWitnessInputs, txWitnessInputs } from './noirTreeWitnessInputs.js';
import { decodeChildProof, encodeChildProof, type ChildProof } from './proofArtifact.js';

/** What one proof cost, for the live view and the benchmark. */
export interface ProofStats {
  readonly jobId: string;
  readonly kind: NoirTreeCircuitName;
  readonly witnessMs: number;
  readonly proveMs: number;
  readonly verifyMs: number;
  /** bb's peak resident memory while proving (null off Linux). */
  readonly peakRssMb: number | null;
  readonly proofBytes: number;
}

export interface BarretenbergProverOptions {
  readonly circuits: NoirTreeCircuits;
  /** The genuine bb: it proves (τ·G2 plays no part in proving). */
  readonly bbBinary: string;
  /** One proof may take this long; bb's process group is killed past it. */
  readonly timeoutMs: number;
  /** Where job directories go. @default the OS temp directory */
  readonly workDirectory?: string;
  readonly onProof?: (stats: ProofStats) => void;
}

/**
 * Proves noir-tree jobs for real with Barretenberg: checks every child proof it is handed against the child's
 * verification key (bb exits 0 and writes a proof even from a bad child, so nothing downstream would notice), builds
 * the witness with noir_js, proves with bb and the cached key, and verifies its own proof before returning it. With
 * the development SRS the checks use bb's development build (τ·G2 swapped), so they are complete, not partial.
 */
export function createBarretenbergProver(options: BarretenbergProverOptions): ProverBackend {
  const { circuits } = options;
  const verifier = circuits.srs.verifierBinary;
  const bb = { crsPath: circuits.srs.directory };
  const programs = new Map<NoirTreeCircuitName, Promise<Noir>>();
  const noirOf = (circuit: CompiledNoirCircuit) => {
    let noir = programs.get(circuit.name);
    if (!noir) {
      noir = (async () => {
        const { Noir: NoirProgram } = await import('@noir-lang/noir_js');
        return new NoirProgram(JSON.parse(await readFile(circuit.bytecodePath, 'utf8')) as ConstructorParameters<typeof Noir>[0]);
      })();
      programs.set(circuit.name, noir);
    }
    return noir;
  };

  /** bb verify in a directory of its own; false (with bb's reason) for any proof it does not accept. */
  const verify = async (circuit: CompiledNoirCircuit, proof: ChildProof, directory: string, signal: AbortSignal): Promise<BbRun> => {
    await writeFile(join(directory, 'proof'), proof.proof);
    await writeFile(join(directory, 'public_inputs'), proof.publicInputs);
    const args = ['verify', '-p', join(directory, 'proof'), '-k', circuit.vkPath, '-i', join(directory, 'public_inputs'), '-t', circuit.target];
    return runBb(verifier, args, { ...bb, signal, timeoutMs: options.timeoutMs });
  };

  return {
    name: `barretenberg (noir-tree, ${circuits.srs.kind === 'development' ? 'DEVELOPMENT SRS τ = 2' : 'Ignition SRS'})`,
    simulated: false,
    async prove(request) {
      const kind = request.kind as NoirTreeCircuitName;
      const circuit = circuits[kind] as CompiledNoirCircuit | undefined;
      if (!circuit || !['tx', 'merge', 'root'].includes(kind)) {
        throw new NoirTreeInputError(`the Barretenberg backend proves noir-tree jobs (tx, merge, root), not "${request.kind}"`, { kind });
      }
      const directory = await mkdtemp(join(options.workDirectory ?? tmpdir(), 'pb-bb-'));
      try {
        const children = await checkChildren(request, directory);
        const started = performance.now();
        const witness = await witnessFor(request, circuit, children);
        const witnessMs = Math.round(performance.now() - started);
        await writeFile(join(directory, 'witness.gz'), witness);
        const proving = await bbOrThrow(
          options.bbBinary,
          ['prove', '-b', circuit.bytecodePath, '-w', join(directory, 'witness.gz'), '-k', circuit.vkPath, '-o', join(directory, 'out'), '-t', circuit.target],
          { ...bb, signal: request.signal, timeoutMs: options.timeoutMs },
        );
        const proof: ChildProof = {
          proof: new Uint8Array(await readFile(join(directory, 'out', 'proof'))),
          publicInputs: new Uint8Array(await readFile(join(directory, 'out', 'public_inputs'))),
        };
        if (request.rootPublicInputs) assertRootPublicInputs(request, proof);
        const verified = await verify(circuit, proof, join(directory, 'out'), request.signal);
        if (verified.exitCode !== 0) {
          throw new ProofVerificationError(`bb made a ${kind} proof for ${request.jobId} that does not verify: ${lastLines(verified.stderr)}`, {
            jobId: request.jobId,
          });
        }
        // The root's bytes are what L1 receives; a child's public inputs travel with it to its parent.
        const artifact = kind === 'root' ? proof.proof : encodeChildProof(proof);
        options.onProof?.({
          jobId: request.jobId,
          kind,
          witnessMs,
          proveMs: proving.ms,
          verifyMs: verified.ms,
          peakRssMb: proving.peakRssMb,
          proofBytes: proof.proof.length,
        });
        return artifact;
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };

  /** Decodes and verifies each child against its own circuit's key; the first bad one is named. */
  async function checkChildren(request: ProofRequest, directory: string): Promise<ChildProof[]> {
    if (request.kind === 'tx') return [];
    const kinds = childKindsOf(request.inputs, request.childProofs.length);
    const children: ChildProof[] = [];
    for (const [index, bytes] of request.childProofs.entries()) {
      let child: ChildProof;
      try {
        child = decodeChildProof(bytes);
      } catch (error) {
        throw new InvalidChildProofError(index, (error as Error).message);
      }
      const checked = await verify(circuits[kinds[index]!], child, await mkdtemp(join(directory, `child-${index}-`)), request.signal);
      if (checked.exitCode !== 0) throw new InvalidChildProofError(index, `bb verify (${kinds[index]}): ${lastLines(checked.stderr, 2)}`);
      children.push(child);
    }
    return children;
  }

  async function witnessFor(request: ProofRequest, circuit: CompiledNoirCircuit, children: readonly ChildProof[]): Promise<Uint8Array> {
    const inputs =
      circuit.name === 'tx'
        ? txWitnessInputs(request.inputs)
        : circuit.name === 'merge'
          ? { ...childWitnessInputs(circuits, request.inputs, children), merge_vk_hash: circuits.merge.vkHash }
          : { ...rootWitnessInputs(request.rootPublicInputs!, request.inputs), ...childWitnessInputs(circuits, request.inputs, children) };
    try {
      const noir = await noirOf(circuit);
      return (await noir.execute(inputs as Parameters<typeof noir.execute>[0])).witness;
    } catch (error) {
      // A constraint that fails here (children that do not chain, a body hash that does not match) fails the job.
      throw new NoirCircuitError(`${circuit.name} witness for ${request.jobId}: ${(error as Error).message}`, { jobId: request.jobId });
    }
  }
}

/** The root proof must be bound to exactly the public inputs L1 will check it against. */
function assertRootPublicInputs(request: ProofRequest, proof: ChildProof): void {
  const expected = rootPublicInputFields(request.rootPublicInputs!)
    .map((field) => field.slice(2).toLowerCase())
    .join('');
  const actual = bytesToHex(proof.publicInputs).slice(2);
  if (actual !== expected) {
    throw new ProofVerificationError(`root proof for ${request.jobId} carries public inputs ${actual}, not the run's`, { jobId: request.jobId });
  }
}
