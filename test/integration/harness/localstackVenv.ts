import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const REQUIREMENTS = join(import.meta.dirname, 'localstack-requirements.txt');

/** The venv could not be made or LocalStack could not be installed into it. */
export class LocalStackInstallError extends Error {
  override name = 'LocalStackInstallError';
}

/**
 * Makes sure `<root>/.venv/localstack` holds LocalStack's runtime at the pinned versions, installing it from PyPI on a
 * fresh machine (about 1.5 minutes) and reusing it afterwards. A marker with the requirements' hash tells a complete
 * install from a half-finished one; a lock directory keeps two test runs in the same tree from installing at once.
 * Returns the venv's python.
 */
export async function ensureLocalStackVenv(root: string, log: (line: string) => void): Promise<string> {
  const venv = join(root, '.venv', 'localstack');
  const python = join(venv, 'bin', 'python');
  const marker = join(venv, '.prover-burst-requirements');
  const wanted = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
  const installed = () => existsSync(marker) && readFileSync(marker, 'utf8') === wanted;
  if (installed()) return python;

  const lock = join(root, '.venv', 'localstack.lock');
  mkdirSync(join(root, '.venv'), { recursive: true });
  await acquire(lock);
  try {
    if (installed()) return python;
    const base = findPython();
    log(`installing LocalStack ${wanted.slice(0, 8)} into ${venv} with ${base} (first run only, about 1.5 minutes)`);
    const started = Date.now();
    rmSync(venv, { recursive: true, force: true });
    run(base, ['-m', 'venv', venv]);
    run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', '-r', REQUIREMENTS]);
    writeFileSync(marker, wanted);
    log(`installed LocalStack in ${Math.round((Date.now() - started) / 1000)} s`);
    return python;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Python 3.11 is what the pinned runtime was locked for; 3.10 and 3.12 work too. */
function findPython(): string {
  for (const candidate of ['python3.11', 'python3', 'python3.12', 'python3.10']) {
    const probe = spawnSync(candidate, ['-c', 'import sys; print(sys.version_info[:2] >= (3, 10) and sys.version_info[:2] <= (3, 12))']);
    if (probe.status === 0 && probe.stdout.toString().trim() === 'True') return candidate;
  }
  throw new LocalStackInstallError('LocalStack 4.8.1 needs Python 3.10 to 3.12 on PATH (python3.11 preferred); none was found');
}

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    const output = `${result.stdout?.toString() ?? ''}${result.stderr?.toString() ?? ''}`.split('\n').slice(-30).join('\n');
    throw new LocalStackInstallError(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}:\n${output}`);
  }
}

/** A directory lock; a lock whose owner died is taken over. */
async function acquire(lock: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return;
    } catch {
      const owner = lockOwner(lock);
      if (owner > 0 && !alive(owner)) rmSync(lock, { recursive: true, force: true });
      if (attempt > 1_800) throw new LocalStackInstallError(`waited 15 minutes for ${lock} (held by pid ${owner})`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** The pid written in the lock; 0 while its owner has not written it yet, or the lock just went away. */
function lockOwner(lock: string): number {
  try {
    return Number(readFileSync(join(lock, 'pid'), 'utf8')) || 0;
  } catch {
    return 0;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
