import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A lock older than this belongs to a process that died mid-build. */
const STALE_LOCK_MS = 20 * 60_000;

/**
 * Builds a cache entry once per machine: `build` fills a fresh temporary directory that is renamed to `target` when
 * it succeeds, so readers never see half an entry. A lock directory (mkdir is atomic) keeps other processes waiting
 * for the one building instead of building the same thing at once; a lock left by a dead process goes stale.
 */
export async function buildOnce(target: string, build: (temporary: string) => Promise<void>): Promise<string> {
  if (existsSync(target)) return target;
  await mkdir(dirname(target), { recursive: true });
  const lock = `${target}.lock`;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      if (existsSync(target)) return target;
      const age = Date.now() - (await stat(lock).then((s) => s.mtimeMs, () => Date.now()));
      if (age > STALE_LOCK_MS) await rm(lock, { recursive: true, force: true });
      else await sleep(500);
    }
  }
  try {
    if (existsSync(target)) return target;
    const temporary = `${target}.tmp-${process.pid}`;
    await rm(temporary, { recursive: true, force: true });
    await mkdir(temporary, { recursive: true });
    try {
      await build(temporary);
      await rename(temporary, target);
    } finally {
      await rm(temporary, { recursive: true, force: true });
    }
    return target;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
