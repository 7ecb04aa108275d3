import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProofRequest, ProverBackend } from '../../core/ports/proverBackend.js';
import { CommandProverError } from './errors/proverErrors.js';

export interface CommandProverOptions {
  /** The executable and its arguments; the job directory is passed as `PB_JOB_DIR` and appended as the last argument. */
  readonly command: readonly string[];
  readonly timeoutMs: number;
  /** Where job directories are made; the OS temp directory by default. */
  readonly workDirectory?: string;
}

/**
 * Runs any prover binary through files, which is how a real prover plugs in. The job directory holds `job.json`
 * (kind, ids, inputs, root public inputs) and `child-<i>.bin` (the children's proofs in input order); the command
 * must write `proof.bin` there and exit 0 within the timeout. It is killed (its whole process group) on timeout
 * or when the agent is told to stop.
 */
export function createCommandProver(options: CommandProverOptions): ProverBackend {
  const [executable, ...args] = options.command;
  if (!executable) throw new CommandProverError('the command prover needs a command');
  return {
    name: `command:${executable}`,
    simulated: false,
    async prove(request) {
      const directory = await mkdtemp(join(options.workDirectory ?? tmpdir(), 'pb-job-'));
      try {
        await writeJob(directory, request);
        await run(executable, [...args, directory], directory, options.timeoutMs, request);
        try {
          return new Uint8Array(await readFile(join(directory, 'proof.bin')));
        } catch {
          throw new CommandProverError(`prover for ${request.jobId} exited 0 but wrote no proof.bin`, { jobId: request.jobId });
        }
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };
}

async function writeJob(directory: string, request: ProofRequest): Promise<void> {
  const job = {
    runId: request.runId,
    jobId: request.jobId,
    kind: request.kind,
    tier: request.tier,
    expectedSeconds: request.expectedSeconds,
    inputs: request.inputs,
    children: request.childProofs.length,
    rootPublicInputs: request.rootPublicInputs
      ? { ...request.rootPublicInputs, blockNumber: request.rootPublicInputs.blockNumber.toString() }
      : null,
  };
  await writeFile(join(directory, 'job.json'), JSON.stringify(job, null, 2));
  await Promise.all(request.childProofs.map((proof, i) => writeFile(join(directory, `child-${i}.bin`), proof)));
}

function run(executable: string, args: string[], directory: string, timeoutMs: number, request: ProofRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    if (request.signal.aborted) return reject(request.signal.reason as Error);
    const child = spawn(executable, args, {
      env: { ...process.env, PB_JOB_DIR: directory },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2_000);
    });
    let why: string | null = null;
    const kill = (reason: string) => {
      why ??= reason;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => kill(`timed out after ${timeoutMs} ms`), timeoutMs);
    const onAbort = () => kill('stopped');
    request.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      clearTimeout(timer);
      request.signal.removeEventListener('abort', onAbort);
      reject(new CommandProverError(`could not start prover ${executable}: ${error.message}`, { executable }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      request.signal.removeEventListener('abort', onAbort);
      if (why === 'stopped') return reject(request.signal.reason as Error);
      if (why) return reject(new CommandProverError(`prover for ${request.jobId} ${why}`, { jobId: request.jobId }));
      if (code !== 0) {
        return reject(
          new CommandProverError(`prover for ${request.jobId} exited with ${code ?? signal}: ${stderr.trim()}`, {
            jobId: request.jobId,
            code,
            stderr,
          }),
        );
      }
      resolve();
    });
  });
}
