import { statfsSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname } from 'node:path';
import {
  CorruptStoreError,
  DiskFullError,
  ProverBurstError,
  StorageIOError,
  UnusableDirectoryError,
  UnwritableDirectoryError,
} from '../../core/errors/index.js';

/** Below this much free space an I/O error while writing is taken for a full disk (LMDB reports ENOSPC as EIO). */
const NEARLY_FULL_BYTES = 4 * 2 ** 20;

/** LMDB's own error numbers for a damaged file (lmdb.h: MDB_PAGE_NOTFOUND, MDB_CORRUPTED, MDB_INVALID, MDB_VERSION_MISMATCH). */
const LMDB_CORRUPTION = new Map([
  [-30797, 'MDB_PAGE_NOTFOUND'],
  [-30796, 'MDB_CORRUPTED'],
  [-30793, 'MDB_INVALID'],
  [-30794, 'MDB_VERSION_MISMATCH'],
]);

/** Free bytes for an unprivileged user on the device holding `path` (or its nearest existing parent). */
export function freeBytes(path: string): number | undefined {
  for (let at = path; ; at = dirname(at)) {
    try {
      const stats = statfsSync(at);
      return stats.bavail * stats.bsize;
    } catch {
      if (dirname(at) === at) return undefined;
    }
  }
}

/**
 * The named error a failed file-system or LMDB operation on `path` stands for, or the error itself when it is
 * not about storage. LMDB reports errno values as a numeric `code` and wraps a failed commit in `commitError`.
 */
export function toStorageError(error: unknown, path: string, operation: string): unknown {
  if (error instanceof ProverBurstError || !(error instanceof Error)) return error;
  const inner = (error as { commitError?: unknown }).commitError;
  const cause = inner instanceof Error ? inner : error;
  // A failed commit whose cause is not at hand (lmdb-js may hold it in a promise) is an I/O failure of the store.
  const fallback = inner !== undefined ? 'EIO' : undefined;
  const code = errnoName((cause as NodeJS.ErrnoException).code ?? (cause as { errno?: unknown }).errno) ?? fallback;
  const reason = `${code ?? ''}${code ? ': ' : ''}${cause.message}`.replace(/\s+/g, ' ').trim();
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EFBIG':
      return new DiskFullError(path, operation, freeBytes(path));
    case 'EIO': {
      const free = freeBytes(path);
      return free !== undefined && free < NEARLY_FULL_BYTES ? new DiskFullError(path, operation, free) : new StorageIOError(path, operation, reason);
    }
    case 'EACCES':
    case 'EPERM':
      return new UnwritableDirectoryError(path, `permission denied while ${operation}`);
    case 'EROFS':
      return new UnwritableDirectoryError(path, 'the file system is read-only');
    case 'ENOTDIR':
      return new UnusableDirectoryError(path, 'a part of the path is a file');
    default:
      if (code?.startsWith('MDB_')) return new CorruptStoreError(path, code);
      return error;
  }
}

/** `ENOSPC` for 'ENOSPC', 28 or -28; an LMDB name for LMDB's own numbers; undefined for anything else. */
function errnoName(code: unknown): string | undefined {
  if (typeof code === 'string') return code;
  if (typeof code !== 'number') return undefined;
  const lmdb = LMDB_CORRUPTION.get(code);
  if (lmdb) return lmdb;
  const errno = Math.abs(code);
  return Object.entries(constants.errno).find(([, value]) => value === errno)?.[0];
}
