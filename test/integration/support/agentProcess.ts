import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { AgentEvent } from '../../../core/agent/handleDelivery.js';

const MAIN = join(import.meta.dirname, '..', '..', '..', 'batch-images', 'agent', 'main.ts');

/** An agent running batch-images/agent/main.ts as its own process, as a Batch container would. */
export interface AgentProcess {
  readonly id: string;
  /** The process id, also its process group's (it runs detached). */
  readonly pid: number;
  /** Its AgentEvents, parsed from its JSON log lines as they arrive. */
  readonly events: AgentEvent[];
  readonly lines: string[];
  readonly exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the first event matching `predicate` (past or future), or rejects after `timeoutMs`. */
  waitForEvent(predicate: (event: AgentEvent) => boolean, timeoutMs: number): Promise<AgentEvent>;
}

export function spawnAgent(id: string, env: Record<string, string>): AgentProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, POWERTOOLS_LOG_LEVEL: 'DEBUG', AGENT_ID: id, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const events: AgentEvent[] = [];
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const onLine = (line: string) => {
    lines.push(line);
    try {
      const parsed = JSON.parse(line) as { message?: string; event?: AgentEvent };
      if (parsed.message === 'agent event' && parsed.event) events.push(parsed.event);
    } catch {
      return;
    }
    for (const waiter of waiters) waiter();
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', (line) => lines.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A test that fails midway must not leave agents polling the emulators.
  const reap = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', reap);
  void exited.then(() => process.removeListener('exit', reap));
  return {
    id,
    pid: child.pid!,
    events,
    lines,
    exited,
    kill(signal) {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // Already gone.
      }
    },
    waitForEvent(predicate, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(predicate);
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`agent ${id} emitted no matching event within ${timeoutMs} ms; last lines:\n${lines.slice(-15).join('\n')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
