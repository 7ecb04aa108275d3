import type { Synchronous } from '../../core/ports/synchronous.js';

/**
 * The async port over a synchronous one: each call takes effect when it is made and answers after `pause()` (the
 * request's latency on the caller's clock). With no pause the answer comes on the next microtask.
 */
export function delayedPort<T extends object>(sync: Synchronous<T>, pause?: () => Promise<void>): T {
  const port: Record<string, unknown> = {};
  for (const name of Object.keys(sync)) {
    const method = (sync as Record<string, (...args: unknown[]) => unknown>)[name]!;
    port[name] = pause
      ? async (...args: unknown[]) => {
          const result = method(...args);
          await pause();
          return result;
        }
      : async (...args: unknown[]) => method(...args);
  }
  return port as T;
}
