import type { Clock } from '../../core/ports/clock.js';
import type { EventLoop } from '../engine/eventLoop.js';

/**
 * The `Clock` port on simulated time: `sleep` schedules an event. Once `alive()` is false (the agent's machine
 * vanished) nothing it waits on ever resolves or rejects, so its code simply stops, as a dead process would.
 */
export function virtualClock(loop: EventLoop, alive: () => boolean = () => true): Clock {
  return {
    now: () => loop.now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason as Error);
          return;
        }
        const onAbort = () => {
          event.cancelled = true;
          if (alive()) reject(signal!.reason as Error);
        };
        const event = loop.after(Math.max(0, ms), () => {
          signal?.removeEventListener('abort', onAbort);
          if (alive()) resolve();
        });
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
