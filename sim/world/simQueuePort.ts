import type { Clock } from '../../core/ports/clock.js';
import type { Delivery, WorkQueue } from '../../core/ports/workQueue.js';
import type { SimWorkQueue } from './simWorkQueue.js';

/** Ends a long poll's timer; a reason given up front spares a DOMException (and its stack) per poll. */
const POLL_ANSWERED = new Error('long poll answered');

/** One caller's view of the simulated queues. */
export interface SimQueuePort extends WorkQueue {
  /** Drops a long poll in progress without answering it (the caller's machine vanished). */
  abandon(): void;
}

/**
 * The `WorkQueue` port over the simulated queues for one caller: every request answers after `pause()` (its SQS
 * latency on the caller's clock); an empty receive long-polls for `waitMs`, and a message that turns up meanwhile is
 * handed over at once, like SQS long polling.
 */
export function simQueuePort(queue: SimWorkQueue, clock: Clock, pause?: () => Promise<void>): SimQueuePort {
  const answer = async <T>(result: T): Promise<T> => {
    if (pause) await pause();
    return result;
  };
  /** A request the queue refuses (a malformed receipt) rejects, as the adapters' async calls do. */
  const request = <T>(call: () => T): Promise<T> => {
    try {
      return answer(call());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
  let abandon = () => undefined as void;

  return {
    abandon: () => abandon(),
    send: (tier, messages) => answer(queue.send(tier, messages)),
    extend: (tier, receipt, visibilityMs) => request(() => queue.extend(tier, receipt, visibilityMs)),
    ack: (tier, receipt) => request(() => queue.ack(tier, receipt)),
    release: (tier, receipt, delayMs) => request(() => queue.release(tier, receipt, delayMs)),
    depth: (tier) => answer(queue.depth(tier)),
    receive(tier, { max, waitMs, visibilityMs, signal }) {
      const now = queue.receive(tier, max, visibilityMs);
      if (now.length > 0 || waitMs <= 0 || signal?.aborted) return answer(now);
      return new Promise<Delivery[]>((resolve) => {
        let settled = false;
        const timeout = new AbortController();
        const finish = () => {
          settled = true;
          cancel();
          timeout.abort(POLL_ANSWERED);
          signal?.removeEventListener('abort', empty);
          abandon = () => undefined;
        };
        const empty = () => {
          if (settled) return;
          finish();
          resolve([]);
        };
        const cancel = queue.wait(tier, {
          visibilityMs,
          deliver(delivery) {
            if (settled) return;
            finish();
            void answer([delivery]).then(resolve);
          },
        });
        abandon = () => {
          if (!settled) finish();
        };
        signal?.addEventListener('abort', empty, { once: true });
        clock.sleep(waitMs, timeout.signal).then(empty, () => undefined);
      });
    },
  };
}
