import type { Clock } from '../../core/ports/clock.js';

export interface ManualClock extends Clock {
  /** Moves time forward, waking every sleeper whose time has come (in order). */
  advance(ms: number): Promise<void>;
  set(now: number): void;
}

/** A clock that only moves when told to; sleepers wake as `advance` passes their time. */
export function manualClock(start = 1_700_000_000_000): ManualClock {
  let now = start;
  const sleepers = new Set<{ at: number; wake: () => void }>();
  return {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason as Error);
        const sleeper = {
          at: now + ms,
          wake: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          sleepers.delete(sleeper);
          reject(signal!.reason as Error);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        if (ms <= 0) return sleeper.wake();
        sleepers.add(sleeper);
      });
    },
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        const due = [...sleepers].filter((s) => s.at <= target).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        now = Math.max(now, due.at);
        sleepers.delete(due);
        due.wake();
        // Let the woken code run before the next sleeper wakes.
        await new Promise((resolve) => setImmediate(resolve));
      }
      now = target;
    },
    set(value) {
      now = value;
    },
  };
}
