import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { identityOf, isRunning, type ProcessIdentity } from '../adapters/host/processIdentity.js';
import { toStorageError } from '../adapters/host/storageErrors.js';
import { DataDirectoryInUseError } from './devnetErrors.js';

export const LOCK_FILE = 'devnet.lock';

interface LockRecord extends ProcessIdentity {
  readonly since: string;
}

export interface DataDirectoryLock {
  /** The holder that had died without releasing the lock, when this one took it over. */
  readonly recoveredFrom?: LockRecord;
  release(): void;
}

/**
 * Takes `<dataDir>/devnet.lock` for this process: linked into place exclusively, so of two devnets starting at once
 * one wins; a lock whose process is gone (same pid and start time no longer running) is stale and taken over.
 * Throws DataDirectoryInUseError while another devnet holds it.
 */
export function lockDataDirectory(dataDir: string, now: Date): DataDirectoryLock {
  const path = join(dataDir, LOCK_FILE);
  const record: LockRecord = { ...identityOf(process.pid), since: now.toISOString() };
  const text = JSON.stringify(record);
  let recoveredFrom: LockRecord | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // Written aside, then linked into place: the lock file is never seen half written.
      const staged = `${path}.${process.pid}`;
      writeFileSync(staged, text);
      try {
        linkSync(staged, path);
      } finally {
        unlinkSync(staged);
      }
      return {
        ...(recoveredFrom ? { recoveredFrom } : {}),
        release() {
          // Only our own lock is removed: a later holder's stays.
          if (readLock(path)?.text === text) unlinkSync(path);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw toStorageError(error, dataDir, 'taking the devnet lock');
    }
    const held = readLock(path);
    if (held?.record && isRunning(held.record)) throw new DataDirectoryInUseError(dataDir, held.record.pid, held.record.since);
    // Stale (its process is gone, or it is unreadable): removed only if it is still that same file.
    if (held && readLock(path)?.text === held.text) {
      unlinkSync(path);
      if (held.record) recoveredFrom = held.record;
    }
  }
  const held = readLock(path);
  throw new DataDirectoryInUseError(dataDir, held?.record?.pid ?? -1, held?.record?.since ?? 'unknown');
}

function readLock(path: string): { text: string; record: LockRecord | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockRecord>;
    const valid = typeof parsed.pid === 'number' && typeof parsed.since === 'string';
    return { text, record: valid ? (parsed as LockRecord) : undefined };
  } catch {
    return { text, record: undefined };
  }
}
