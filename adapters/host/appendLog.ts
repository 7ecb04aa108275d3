import { closeSync, fstatSync, ftruncateSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { toStorageError } from './storageErrors.js';

/** A file of lines that only grows: each line is written whole or not at all. */
export interface AppendLog {
  readonly path: string;
  /** Appends `line` and a newline synchronously (a kill -9 right after loses nothing); throws a named storage error. */
  append(line: string): void;
  close(): void;
}

export interface AppendLogOptions {
  /**
   * Past this size the file is renamed to `<path>.1` (replacing an older one) and a new file begun, so a log is
   * bounded to twice this. @default undefined (never rotated: an audit log)
   */
  readonly rotateBytes?: number;
}

/**
 * Opens (or creates) a line log. A line that a write failure (a full disk) cut short is cut off again, so the file
 * always ends with a whole line; a torn last line left by an older crash is ended with a newline before appending.
 */
export function openAppendLog(path: string, options: AppendLogOptions = {}): AppendLog {
  let fd = -1;
  let size = 0;
  const open = () => {
    try {
      fd = openSync(path, 'a+');
      size = fstatSync(fd).size;
      if (size > 0 && lastByte(fd, size) !== 0x0a) writeWhole(Buffer.from('\n'));
    } catch (error) {
      throw toStorageError(error, path, `opening ${basename(path)}`);
    }
  };
  const writeWhole = (bytes: Buffer) => {
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(fd, bytes, written);
      size += bytes.length;
    } catch (error) {
      if (written > 0) ftruncateSync(fd, size);
      throw error;
    }
  };
  open();
  return {
    path,
    append(line) {
      try {
        writeWhole(Buffer.from(`${line}\n`));
      } catch (error) {
        throw toStorageError(error, path, `appending to ${basename(path)}`);
      }
      if (options.rotateBytes !== undefined && size > options.rotateBytes) {
        closeSync(fd);
        renameSync(path, `${path}.1`);
        open();
      }
    },
    close() {
      if (fd >= 0) closeSync(fd);
      fd = -1;
    },
  };
}

function lastByte(fd: number, size: number): number {
  const byte = Buffer.alloc(1);
  readSync(fd, byte, 0, 1, size - 1);
  return byte[0]!;
}
