import { accessSync, constants, mkdirSync, statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UnusableDirectoryError } from '../../core/errors/index.js';
import { toStorageError } from './storageErrors.js';

/**
 * File systems no directory of ours can live on (statfs f_type values from linux/magic.h). Node 20's recursive
 * mkdir never returns under /proc, so these are refused before anything is created.
 */
const VIRTUAL_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x62656570, 'configfs'],
  [0x6165676c, 'pstore'],
]);

/**
 * Makes `path` an existing, writable directory and returns it absolute, or throws a named error before creating
 * anything: UnusableDirectoryError (a file in the way, a virtual file system), UnwritableDirectoryError (permissions,
 * read-only), DiskFullError. Missing parents are created one at a time, so no mkdir can loop.
 */
export function ensureDirectory(path: string): string {
  const target = resolve(path);
  const missing: string[] = [];
  let existing = target;
  for (;;) {
    const kind = kindOf(existing);
    if (kind === 'directory') break;
    if (kind === 'file') {
      throw new UnusableDirectoryError(path, existing === target ? 'it is a file' : `${existing} is a file, not a directory`);
    }
    missing.unshift(existing);
    existing = dirname(existing);
  }
  const fileSystem = virtualFileSystemOf(existing);
  if (fileSystem) throw new UnusableDirectoryError(path, `${existing} is on ${fileSystem}, a virtual file system`);
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
    for (const directory of missing) mkdirSync(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UnusableDirectoryError(path, `the file system refuses to create directories in ${existing}`);
    }
    throw toStorageError(error, path, 'creating the directory');
  }
  return target;
}

/** What is at `path`: a directory, something else, or nothing (a file further up reads as a file). */
function kindOf(path: string): 'directory' | 'file' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a file further up, which the walk reaches next.
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw toStorageError(error, path, 'reading the path');
  }
}

function virtualFileSystemOf(path: string): string | undefined {
  try {
    return VIRTUAL_FILE_SYSTEMS.get(statfsSync(path).type);
  } catch {
    return undefined;
  }
}
