/** Where a command writes; tests pass their own to capture output. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

export const processOutput: CliOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

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
