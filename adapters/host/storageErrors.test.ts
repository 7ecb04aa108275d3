import { describe, expect, it } from 'vitest';
import { CorruptStoreError, DiskFullError, StorageIOError, UnusableDirectoryError, UnwritableDirectoryError } from '../../core/errors/index.js';
import { toStorageError } from './storageErrors.js';

const errno = (code: string | number, message = 'failed') => Object.assign(new Error(message), { code });

describe('toStorageError', () => {
  it.each([
    [errno('ENOSPC'), DiskFullError],
    [errno('EDQUOT'), DiskFullError],
    [errno('EFBIG'), DiskFullError],
    [errno('EACCES'), UnwritableDirectoryError],
    [errno('EROFS'), UnwritableDirectoryError],
    [errno('ENOTDIR'), UnusableDirectoryError],
    [errno(-30796, 'MDB_CORRUPTED: Located page was wrong type'), CorruptStoreError],
    [errno(-30793, 'MDB_INVALID: File is not an LMDB file'), CorruptStoreError],
  ])('maps %s to a named error', (error, named) => {
    expect(toStorageError(error, '/tmp', 'writing')).toBeInstanceOf(named);
  });

  it('reads the errno inside an LMDB commit failure (code 5, EIO) and calls it a full disk when the disk is nearly full', () => {
    // lmdb-js: a failed commit carries the errno as a number in `commitError` (disk full surfaced as EIO here).
    const commitFailed = Object.assign(new Error('Commit failed (see commitError for details)'), { commitError: errno(5, 'Input/output error') });
    // /proc reports 0 bytes free, like a full disk; / has room, so there the same error is a plain I/O error.
    const onRoomyDisk = toStorageError(commitFailed, '/', 'writing the job store');
    expect(onRoomyDisk).toBeInstanceOf(StorageIOError);
    expect((onRoomyDisk as Error).message).toBe('I/O error on / while writing the job store: EIO: Input/output error');
    expect(toStorageError(commitFailed, '/proc', 'writing the job store')).toBeInstanceOf(DiskFullError);
  });

  it('leaves other errors alone', () => {
    const other = new TypeError('x is not a function');
    expect(toStorageError(other, '/tmp', 'writing')).toBe(other);
  });
});
