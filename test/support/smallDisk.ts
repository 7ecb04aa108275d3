import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real full disk without touching the machine's: a tmpfs of a few MiB mounted in a private mount namespace
 * (`unshare -m`), which disappears with the shell that runs in it. Needs root (or CAP_SYS_ADMIN); where that is
 * missing, `smallDisksAvailable` is false and the tests that need one say so when they skip.
 */
export const smallDisksAvailable: boolean = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'pb-disk-probe-'));
  try {
    return spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o size=1m tmpfs "$1"', 'sh', dir], { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

export interface SmallDiskRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `script` (sh) with `$DISK` a fresh tmpfs of `sizeMiB`, cwd the repository; `env` is added to the environment.
 * Resolves when the shell exits; `timeoutMs` kills its process group.
 */
export function onSmallDisk(sizeMiB: number, script: string, options: { timeoutMs: number; env?: Record<string, string> }): Promise<SmallDiskRun> {
  const mountPoint = mkdtempSync(join(tmpdir(), 'pb-disk-'));
  const child = spawn('unshare', ['-m', 'sh', '-c', `mount -t tmpfs -o size=${sizeMiB}m tmpfs "$DISK" || exit 97\n${script}`], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: { ...process.env, ...options.env, DISK: mountPoint },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), options.timeoutMs);
  return new Promise((resolve) => {
    child.once('exit', (status) => {
      clearTimeout(timer);
      rmSync(mountPoint, { recursive: true, force: true });
      resolve({ status, stdout, stderr });
    });
  });
}
