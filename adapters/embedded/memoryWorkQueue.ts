import { BinaryHeap } from '../../core/collections/binaryHeap.js';
import { MalformedReceiptError } from '../../core/errors/index.js';
import type { Clock } from '../../core/ports/clock.js';
import type { Delivery, JobMessage, ReceiveOptions, WorkQueue } from '../../core/ports/workQueue.js';
import type { Tier } from '../../core/tiers.js';

/** The receipts this queue hands out: `<seq>.<receive count>`, `.released` once released. */
const RECEIPT = /^\d+\.\d+(\.released)?$/;

interface Entry {
  readonly seq: number;
  readonly message: JobMessage;
  receiveCount: number;
  visibleAt: number;
  receipt: string;
}

interface TierQueue {
  readonly visible: BinaryHeap<Entry>;
  /** Received (in flight) or released with a delay. */
  readonly hidden: Map<number, Entry>;
  readonly dead: JobMessage[];
  readonly waiters: Set<() => void>;
}

export interface MemoryWorkQueue extends WorkQueue {
  /** Dead-lettered messages of a tier. */
  deadLetters(tier: Tier): readonly JobMessage[];
}

/**
 * In-process queues with SQS's semantics: a received message is invisible for its visibility timeout and then
 * redelivered; after `maxReceiveCount` receives it goes to the dead letters. Unlike SQS it delivers in exact
 * latest-start order across every run (the job that must start soonest for its run to meet its deadline first),
 * where SQS lanes only approximate it. It is not persistent: after a restart the orchestrator
 * re-enqueues the ready jobs from the job store.
 */
export function createMemoryWorkQueue({ clock, maxReceiveCount }: { clock: Clock; maxReceiveCount: number }): MemoryWorkQueue {
  let seq = 0;
  const tiers = new Map<Tier, TierQueue>();
  const queueOf = (tier: Tier): TierQueue => {
    let queue = tiers.get(tier);
    if (!queue) {
      queue = {
        visible: new BinaryHeap<Entry>((a, b) =>
          a.message.latestStart !== b.message.latestStart ? a.message.latestStart < b.message.latestStart : a.seq < b.seq,
        ),
        hidden: new Map(),
        dead: [],
        waiters: new Set(),
      };
      tiers.set(tier, queue);
    }
    return queue;
  };
  const wake = (queue: TierQueue) => {
    for (const waiter of queue.waiters) waiter();
    queue.waiters.clear();
  };
  const surface = (queue: TierQueue, now: number): number => {
    let nextDue = Infinity;
    for (const entry of queue.hidden.values()) {
      if (entry.visibleAt <= now) {
        queue.hidden.delete(entry.seq);
        entry.receipt = '';
        queue.visible.push(entry);
      } else if (entry.visibleAt < nextDue) {
        nextDue = entry.visibleAt;
      }
    }
    return nextDue;
  };
  const byReceipt = (tier: Tier, receipt: string): Entry | undefined => {
    if (!RECEIPT.test(receipt)) throw new MalformedReceiptError(tier, receipt, '<seq>.<receive count>');
    const entry = queueOf(tier).hidden.get(Number(receipt.split('.')[0]));
    return entry && entry.receipt === receipt ? entry : undefined;
  };

  return {
    async send(tier, messages) {
      const queue = queueOf(tier);
      for (const message of messages) queue.visible.push({ seq: seq++, message, receiveCount: 0, visibleAt: 0, receipt: '' });
      wake(queue);
    },
    async receive(tier: Tier, { max, waitMs, visibilityMs, signal }: ReceiveOptions): Promise<Delivery[]> {
      const queue = queueOf(tier);
      const deadline = clock.now() + waitMs;
      for (;;) {
        const now = clock.now();
        const nextDue = surface(queue, now);
        const deliveries: Delivery[] = [];
        while (deliveries.length < max && queue.visible.size > 0) {
          const entry = queue.visible.pop()!;
          entry.receiveCount++;
          if (entry.receiveCount > maxReceiveCount) {
            queue.dead.push(entry.message);
            continue;
          }
          entry.visibleAt = now + visibilityMs;
          entry.receipt = `${entry.seq}.${entry.receiveCount}`;
          queue.hidden.set(entry.seq, entry);
          deliveries.push({ message: entry.message, receipt: entry.receipt, receiveCount: entry.receiveCount });
        }
        if (deliveries.length > 0 || now >= deadline || signal?.aborted) return deliveries;
        const woken = new AbortController();
        const onAbort = () => woken.abort();
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.waiters.add(onAbort);
        await clock.sleep(Math.min(deadline, nextDue) - now, woken.signal).catch(() => undefined);
        queue.waiters.delete(onAbort);
        signal?.removeEventListener('abort', onAbort);
      }
    },
    async extend(tier, receipt, visibilityMs) {
      const entry = byReceipt(tier, receipt);
      if (entry) entry.visibleAt = clock.now() + visibilityMs;
    },
    async ack(tier, receipt) {
      const entry = byReceipt(tier, receipt);
      if (entry) queueOf(tier).hidden.delete(entry.seq);
    },
    async release(tier, receipt, delayMs) {
      const entry = byReceipt(tier, receipt);
      if (!entry) return;
      const queue = queueOf(tier);
      entry.visibleAt = clock.now() + delayMs;
      entry.receipt = `${entry.seq}.${entry.receiveCount}.released`;
      if (delayMs <= 0) {
        queue.hidden.delete(entry.seq);
        entry.receipt = '';
        queue.visible.push(entry);
      }
      wake(queue);
    },
    async depth(tier) {
      const queue = queueOf(tier);
      surface(queue, clock.now());
      return { ready: queue.visible.size, inFlight: queue.hidden.size, dead: queue.dead.length };
    },
    deadLetters: (tier) => queueOf(tier).dead,
  };
}
