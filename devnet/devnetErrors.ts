import { ProverBurstError } from '../core/errors/base.js';

/** Another devnet holds the data directory's lock: two would prove the same jobs and fight over one L1. */
export class DataDirectoryInUseError extends ProverBurstError {
  override name = 'DataDirectoryInUseError';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly since: string,
  ) {
    super(`${dataDir} is in use by another devnet (pid ${pid}, since ${since}); stop it, or pass another --data-dir`, { dataDir, pid, since });
  }
}

/** The L1 port is taken before the devnet could start its node there. */
export class L1PortInUseError extends ProverBurstError {
  override name = 'L1PortInUseError';
  constructor(readonly port: number) {
    super(`port ${port} on 127.0.0.1 is in use (another devnet's L1?); stop that process or pass --port 0 for a free port`, { port });
  }
}

/** The devnet's L1 node went away while the devnet ran (killed, or out of memory). */
export class L1ExitedError extends ProverBurstError {
  override name = 'L1ExitedError';
  constructor(
    readonly pid: number,
    readonly logFile: string,
  ) {
    super(`the L1 node (pid ${pid}) exited while the devnet ran; its output is in ${logFile}`, { pid, logFile });
  }
}

/** The data directory holds a devnet started otherwise (another proof system on its L1): start with --fresh. */
export class DevnetStateMismatchError extends ProverBurstError {
  override name = 'DevnetStateMismatchError';
}
