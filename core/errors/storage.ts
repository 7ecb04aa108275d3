import { ProverBurstError } from './base.js';

/** A path that can never be a writable directory: a file is in the way, or it is under /proc, /sys or the like. */
export class UnusableDirectoryError extends ProverBurstError {
  override name = 'UnusableDirectoryError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot use ${path} as a directory: ${reason}`, { path, reason });
  }
}

/** A directory we may not write to (permissions, a read-only file system). */
export class UnwritableDirectoryError extends ProverBurstError {
  override name = 'UnwritableDirectoryError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot write to ${path}: ${reason}`, { path, reason });
  }
}

/** The device holding a directory has no space left (or a quota or file-size limit was hit). */
export class DiskFullError extends ProverBurstError {
  override name = 'DiskFullError';
  constructor(
    readonly path: string,
    readonly operation: string,
    readonly freeBytes?: number,
  ) {
    const free = freeBytes === undefined ? '' : ` (${(freeBytes / 2 ** 20).toFixed(1)} MiB free)`;
    super(`no space left on the device holding ${path}${free} while ${operation}; free some space or choose another directory`, {
      path,
      operation,
      freeBytes,
    });
  }
}

/** The disk answered a read or write with an I/O error that is not a full disk. */
export class StorageIOError extends ProverBurstError {
  override name = 'StorageIOError';
  constructor(
    readonly path: string,
    readonly operation: string,
    readonly reason: string,
  ) {
    super(`I/O error on ${path} while ${operation}: ${reason}`, { path, operation, reason });
  }
}

/** An embedded store whose files cannot be read as a store: it is reported, never opened (LMDB would crash). */
export class CorruptStoreError extends ProverBurstError {
  override name = 'CorruptStoreError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`the store at ${path} is corrupt (${reason}); move it aside to keep it, or discard the data directory with --fresh`, {
      path,
      reason,
    });
  }
}

/** A work-queue receipt in no form the queue hands out (a bug, unlike a stale receipt, which is ignored). */
export class MalformedReceiptError extends ProverBurstError {
  override name = 'MalformedReceiptError';
  constructor(
    readonly tier: string,
    readonly receipt: string,
    expected: string,
  ) {
    super(`malformed ${tier} queue receipt "${receipt.slice(0, 80)}": expected ${expected}`, { tier, receipt: receipt.slice(0, 200) });
  }
}

/** An instance's presence record that is not what the agents sharing the instance write (a corrupt or foreign file). */
export class InstancePresenceError extends ProverBurstError {
  override name = 'InstancePresenceError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`the instance presence at ${path} is unusable: ${reason}`, { path, reason });
  }
}
