import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BarretenbergError } from '../errors/proverErrors.js';

/** bb's verifier targets this project uses: Poseidon2 transcripts for proofs verified in circuits, keccak for L1. */
export type BbTarget = 'noir-recursive-no-zk' | 'evm-no-zk';

export interface BbRunOptions {
  /** bb's SRS directory (`--crs_path`): bb never downloads anything when it holds enough points. */
  readonly crsPath: string;
  readonly signal?: AbortSignal;
  /** The process group is killed past this. @default no limit */
  readonly timeoutMs?: number;
}

/** How one bb invocation went. */
export interface BbRun {
  readonly exitCode: number;
  /** The end of its stderr (bb logs there). */
  readonly stderr: string;
  readonly ms: number;
  /** Its peak resident memory (Linux: VmHWM, sampled while it runs); null where unknown. */
  readonly peakRssMb: number | null;
}

const RSS_SAMPLE_MS = 100;

/**
 * Runs bb in its own process group (killed whole on timeout or abort) and reports how it went; a non-zero exit is
 * returned, not thrown (`bbOrThrow` throws). bb is multi-threaded: one run uses every core it is given.
 */
export function runBb(binary: string, args: readonly string[], options: BbRunOptions): Promise<BbRun> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(options.signal.reason as Error);
    const started = performance.now();
    const child = spawn(binary, [...args, '-c', options.crsPath], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000);
    });
    let peakKb: number | null = null;
    const sample = () => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (match) peakKb = Math.max(peakKb ?? 0, Number(match[1]));
      } catch {
        // Not Linux, or it has just exited.
      }
    };
    const sampler = setInterval(sample, RSS_SAMPLE_MS);
    let why: 'timeout' | 'stopped' | null = null;
    const kill = (reason: 'timeout' | 'stopped') => {
      why ??= reason;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => kill('timeout'), options.timeoutMs);
    const onAbort = () => kill('stopped');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearInterval(sampler);
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (error) => {
      done();
      reject(new BarretenbergError(`cannot run bb at ${binary}: ${error.message}`, { binary }));
    });
    child.on('close', (code, signal) => {
      done();
      if (why === 'stopped') return reject(options.signal!.reason as Error);
      if (why === 'timeout') {
        return reject(new BarretenbergError(`bb ${args[0]} timed out after ${options.timeoutMs} ms`, { args, stderr }));
      }
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        stderr,
        ms: Math.round(performance.now() - started),
        peakRssMb: peakKb === null ? null : Math.round(peakKb / 1024),
      });
    });
    sample();
  });
}

/** Runs bb and throws `BarretenbergError` (with the end of its log) unless it exits 0. */
export async function bbOrThrow(binary: string, args: readonly string[], options: BbRunOptions): Promise<BbRun> {
  const run = await runBb(binary, args, options);
  if (run.exitCode !== 0) {
    throw new BarretenbergError(`bb ${args[0]} exited with ${run.exitCode}: ${lastLines(run.stderr)}`, {
      args,
      exitCode: run.exitCode,
      stderr: run.stderr,
    });
  }
  return run;
}

/** bb's version string (`bb --version`). */
export async function bbVersion(binary: string): Promise<string> {
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(binary, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', (error) => reject(new BarretenbergError(`cannot run bb at ${binary}: ${error.message}`, { binary })));
    child.on('close', () => resolve(out.trim()));
  });
  return output;
}

/** The last few lines of a bb log: what an error message needs. */
export function lastLines(log: string, lines = 3): string {
  return log.trim().split('\n').slice(-lines).join(' | ');
}
