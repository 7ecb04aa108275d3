import { readFileSync } from 'node:fs';

/**
 * A process as it can be recognised later: its pid and, where /proc exists, its start time in clock ticks after boot.
 * A pid alone can be reused by an unrelated process once the first one is gone; the pair cannot.
 */
export interface ProcessIdentity {
  readonly pid: number;
  readonly startTicks?: number;
}

export function identityOf(pid: number): ProcessIdentity {
  const startTicks = startTicksOf(pid);
  return startTicks === undefined ? { pid } : { pid, startTicks };
}

/** True while the process `identity` names still runs (the same process, not a later one with its pid). */
export function isRunning(identity: ProcessIdentity): boolean {
  if (!Number.isSafeInteger(identity.pid) || identity.pid <= 0) return false;
  try {
    process.kill(identity.pid, 0);
  } catch (error) {
    // EPERM: it runs, as another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (identity.startTicks === undefined) return true;
  const now = startTicksOf(identity.pid);
  return now === undefined || now === identity.startTicks;
}

/** Field 22 of /proc/<pid>/stat; the command name before it may hold spaces and parentheses, so count after the last ')'. */
function startTicksOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isSafeInteger(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}
