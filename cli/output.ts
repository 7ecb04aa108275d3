import { writeSync } from 'node:fs';

/** Where a command writes; tests pass their own to capture output. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/**
 * stdout and stderr, written synchronously. When stdout's reader has gone (Ctrl-C through `| tee` ends tee first),
 * what follows goes to stderr instead of being lost: a summary printed while shutting down still reaches the terminal.
 */
export const processOutput: CliOutput = (() => {
  let stdoutGone = false;
  const err = (line: string) => writeAll(2, `${line}\n`);
  return {
    out(line) {
      if (!stdoutGone) {
        try {
          return writeAll(1, `${line}\n`);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
          stdoutGone = true;
          err('prover-burst: stdout was closed (its reader exited); the rest follows on stderr');
        }
      }
      err(line);
    },
    err,
  };
})();

/** Writes all of `text` to `fd`, waiting out EAGAIN (a pipe Node made non-blocking may be full for a moment). */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(fd, bytes, written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

/** Right-aligned thousands: 368639 → "368,639". */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** A plain text table: first row is the header; numbers right-aligned. */
export function formatTable(rows: readonly (readonly (string | number)[])[]): string[] {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatCount(cell) : cell)));
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells.map((row, r) =>
    row
      .map((cell, column) =>
        typeof rows[r]![column] === 'number' ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd(),
  );
}
