import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CorruptStoreError, ProverBurstError } from '../../core/errors/index.js';
import { toStorageError } from '../host/storageErrors.js';

export interface LmdbEnvironment {
  /** The path the environment was opened with (a directory holding data.mdb, or a file `x.lmdb`); a missing one is skipped. */
  readonly path: string;
  /** Named databases to read besides the main one. */
  readonly databases: readonly string[];
}

/**
 * Reads every entry of each environment in a child process before this process opens any of them: LMDB trusts its
 * files and dies of SIGSEGV on a damaged one, so a crash or an error there becomes CorruptStoreError here.
 */
export async function checkLmdbEnvironments(environments: readonly LmdbEnvironment[]): Promise<void> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'lmdbCheckProcess.js'), JSON.stringify(environments)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  if (code === 0) return;
  const lines = output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { checking?: string; corrupt?: string; reason?: string; code?: string | number });
  const reported = lines.find((line) => line.corrupt !== undefined);
  if (reported) {
    // Not every failure is damage: a full disk or missing permissions are reported as such.
    const mapped = toStorageError(Object.assign(new Error(reported.reason), { code: reported.code }), reported.corrupt!, 'checking the store');
    throw mapped instanceof ProverBurstError ? mapped : new CorruptStoreError(reported.corrupt!, reported.reason ?? 'unreadable');
  }
  const last = lines.findLast((line) => line.checking !== undefined)?.checking ?? environments[0]?.path ?? '?';
  const how = signal ? `reading it crashed LMDB with ${signal}` : `the check exited with code ${String(code)}: ${errors.trim().split('\n').at(-1) ?? ''}`;
  throw new CorruptStoreError(last, how);
}
