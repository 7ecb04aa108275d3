/** One thing the simulator did or that failed; failures never stop it, they are logged. */
export interface SimulatorLogEntry {
  readonly level: 'info' | 'warn';
  readonly event: string;
  readonly slot?: bigint;
  readonly [detail: string]: unknown;
}

export type SimulatorLog = (entry: SimulatorLogEntry) => void;

/** The default log: one JSON line per entry on stderr (bigints as decimal strings). */
export const stderrSimulatorLog: SimulatorLog = (entry) => {
  process.stderr.write(`${JSON.stringify({ source: 'sequencer-simulator', ...entry }, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}\n`);
};
