import { MalformedReceiptError } from '../../core/errors/index.js';
import { laneCount, laneOf, type LaneSettings } from '../../core/jobs/urgency.js';
import type { Delivery, JobMessage } from '../../core/ports/workQueue.js';
import { TIERS, type Tier } from '../../core/tiers.js';
import type { ControlPlaneCounts } from './controlPlaneMeter.js';
import type { EventLoop, ScheduledEvent } from '../engine/eventLoop.js';
import { KeyedHeap } from '../engine/keyedHeap.js';

/** The receipts this queue hands out: `<seq>.<receive count>`, `.released` once released. */
const RECEIPT = /^\d+\.\d+(\.released)?$/;

interface Entry {
  readonly seq: number;
  readonly message: JobMessage;
  /** The lane it was sent to; SQS never moves a message between queues. */
  readonly lane: number;
  receiveCount: number;
  visibleAt: number;
  receipt: string;
}

/** A long-poll in progress: the next message that turns up is handed to it. */
export interface QueueWaiter {
  readonly visibilityMs: number;
  deliver(delivery: Delivery): void;
}

interface WaiterSlot {
  readonly waiter: QueueWaiter;
  active: boolean;
}

interface TierQueue {
  /** Per lane (0 most urgent), the visible messages by the time they turned visible: SQS hands out roughly the oldest. */
  readonly lanes: KeyedHeap<Entry>[];
  /** Received (in flight) or released with a delay, by sequence number. */
  readonly hidden: Map<number, Entry>;
  /** Hidden entries by the time they turn visible; stale nodes are dropped when they reach the top. */
  readonly reappear: KeyedHeap<Entry>;
  readonly dead: JobMessage[];
  readonly waiters: WaiterSlot[];
  waitersHead: number;
  activeWaiters: number;
  surfaceEvent: ScheduledEvent | null;
}

/** SQS as the agents use it, answered synchronously on simulated time; `simQueuePort` adds latency and long polls. */
export interface SimWorkQueue {
  send(tier: Tier, messages: readonly JobMessage[]): void;
  /** Up to `max` visible messages from the first lane that has any, asking the lanes most urgent first. */
  receive(tier: Tier, max: number, visibilityMs: number): Delivery[];
  /** Registers a long-poll on the last lane (the others were just asked empty); the returned function cancels it. */
  wait(tier: Tier, waiter: QueueWaiter): () => void;
  extend(tier: Tier, receipt: string, visibilityMs: number): void;
  ack(tier: Tier, receipt: string): void;
  release(tier: Tier, receipt: string, delayMs: number): void;
  depth(tier: Tier): { readonly ready: number; readonly inFlight: number; readonly dead: number };
  deadLetters(tier: Tier): readonly JobMessage[];
}

/**
 * Each tier's work queue on simulated time as the SQS adapter uses it (`adapters/aws/sqsWorkQueue.ts`): one SQS
 * standard queue per lane, a message sent to the lane its slack picks (`laneOf`, at send time) and staying there;
 * within a lane no priority, the oldest visible first (SQS standard queues do not order by priority, and their
 * best-effort order is modelled as first in, first out by the time a message turned visible); visibility timeouts,
 * redelivery, dead letters after `maxReceiveCount` receives. A receive asks the lanes most urgent first, each asked
 * lane one ReceiveMessage request (counted), and a long poll waits on the last lane only, as the adapter does: a
 * message sent to an earlier lane meanwhile waits for the next receive. Hidden messages sit in a heap by
 * reappearance time, so 40,000 messages in flight cost nothing per receive, and a message that turns up in the last
 * lane is handed to the longest-waiting long poll at once. Requests are counted as SQS bills them. Without `lanes`
 * (or with no splits) there is one lane.
 */
export function createSimWorkQueue(
  loop: EventLoop,
  maxReceiveCount: number,
  counts: ControlPlaneCounts,
  lanes: LaneSettings = { laneSlackSeconds: [] },
): SimWorkQueue {
  let seq = 0;
  const lanesPerTier = laneCount(lanes);
  const last = lanesPerTier - 1;
  const queues = new Map<Tier, TierQueue>(
    TIERS.map((tier) => [
      tier,
      {
        lanes: Array.from({ length: lanesPerTier }, () => new KeyedHeap<Entry>()),
        hidden: new Map(),
        reappear: new KeyedHeap<Entry>(),
        dead: [],
        waiters: [],
        waitersHead: 0,
        activeWaiters: 0,
        surfaceEvent: null,
      },
    ]),
  );
  const queueOf = (tier: Tier) => queues.get(tier)!;

  const hide = (queue: TierQueue, entry: Entry, visibleAt: number) => {
    entry.visibleAt = visibleAt;
    queue.hidden.set(entry.seq, entry);
    queue.reappear.push(visibleAt, entry.seq, entry);
  };
  const show = (queue: TierQueue, entry: Entry) => {
    queue.hidden.delete(entry.seq);
    entry.receipt = '';
    queue.lanes[entry.lane]!.push(entry.visibleAt, entry.seq, entry);
  };
  /** A heap node is current only while its entry is still hidden with the same reappearance time. */
  const dropStale = (queue: TierQueue) => {
    while (queue.reappear.size > 0) {
      const entry = queue.reappear.peek()!;
      if (queue.hidden.get(entry.seq) === entry && entry.visibleAt === queue.reappear.peekKey()) return;
      queue.reappear.pop();
    }
  };
  const surface = (queue: TierQueue) => {
    const now = loop.now;
    for (;;) {
      dropStale(queue);
      if (queue.reappear.peekKey() > now) return;
      show(queue, queue.reappear.pop()!);
    }
  };
  const take = (visible: KeyedHeap<Entry>, queue: TierQueue, visibilityMs: number): Delivery | null => {
    while (visible.size > 0) {
      const entry = visible.pop()!;
      entry.receiveCount++;
      if (entry.receiveCount > maxReceiveCount) {
        queue.dead.push(entry.message);
        continue;
      }
      entry.receipt = `${entry.seq}.${entry.receiveCount}`;
      hide(queue, entry, loop.now + visibilityMs);
      return { message: entry.message, receipt: entry.receipt, receiveCount: entry.receiveCount };
    }
    return null;
  };
  const nextWaiter = (queue: TierQueue): WaiterSlot | undefined => {
    while (queue.waitersHead < queue.waiters.length) {
      const slot = queue.waiters[queue.waitersHead++]!;
      if (slot.active) return slot;
    }
    queue.waiters.length = 0;
    queue.waitersHead = 0;
    return undefined;
  };
  const serveWaiters = (queue: TierQueue) => {
    const polled = queue.lanes[last]!;
    while (queue.activeWaiters > 0 && polled.size > 0) {
      const slot = nextWaiter(queue)!;
      const delivery = take(polled, queue, slot.waiter.visibilityMs);
      if (!delivery) {
        queue.waitersHead--;
        return;
      }
      slot.active = false;
      queue.activeWaiters--;
      slot.waiter.deliver(delivery);
    }
    if (queue.waitersHead > 1_024 && queue.waitersHead * 2 > queue.waiters.length) {
      queue.waiters.splice(0, queue.waitersHead);
      queue.waitersHead = 0;
    }
  };
  /** While someone long-polls, wake up when the next hidden message turns visible again. */
  const watchReappearance = (queue: TierQueue) => {
    if (queue.activeWaiters === 0) return;
    dropStale(queue);
    const at = queue.reappear.peekKey();
    if (at === Infinity || (queue.surfaceEvent && !queue.surfaceEvent.cancelled && queue.surfaceEvent.at <= at)) return;
    if (queue.surfaceEvent) queue.surfaceEvent.cancelled = true;
    queue.surfaceEvent = loop.at(at, () => {
      queue.surfaceEvent = null;
      surface(queue);
      serveWaiters(queue);
      watchReappearance(queue);
    });
  };
  const byReceipt = (tier: Tier, queue: TierQueue, receipt: string): Entry | undefined => {
    if (!RECEIPT.test(receipt)) throw new MalformedReceiptError(tier, receipt, '<seq>.<receive count>');
    const dot = receipt.indexOf('.');
    const entry = queue.hidden.get(Number(dot === -1 ? receipt : receipt.slice(0, dot)));
    return entry && entry.receipt === receipt ? entry : undefined;
  };

  return {
    send(tier, messages) {
      counts.sqsRequests += Math.ceil(messages.length / 10);
      const queue = queueOf(tier);
      const now = loop.now;
      for (const message of messages) {
        const lane = last === 0 ? 0 : laneOf(message.latestStart, now / 1_000, lanes);
        queue.lanes[lane]!.push(now, seq, { seq: seq++, message, lane, receiveCount: 0, visibleAt: now, receipt: '' });
      }
      serveWaiters(queue);
    },
    receive(tier, max, visibilityMs) {
      const queue = queueOf(tier);
      surface(queue);
      const deliveries: Delivery[] = [];
      for (const visible of queue.lanes) {
        counts.sqsRequests++;
        while (deliveries.length < max) {
          const delivery = take(visible, queue, visibilityMs);
          if (!delivery) break;
          deliveries.push(delivery);
        }
        if (deliveries.length > 0) break;
      }
      if (deliveries.length > 0) watchReappearance(queue);
      return deliveries;
    },
    wait(tier, waiter) {
      const queue = queueOf(tier);
      const slot: WaiterSlot = { waiter, active: true };
      queue.waiters.push(slot);
      queue.activeWaiters++;
      watchReappearance(queue);
      return () => {
        if (!slot.active) return;
        slot.active = false;
        queue.activeWaiters--;
      };
    },
    extend(tier, receipt, visibilityMs) {
      counts.sqsRequests++;
      const queue = queueOf(tier);
      const entry = byReceipt(tier, queue, receipt);
      if (!entry) return;
      hide(queue, entry, loop.now + visibilityMs);
    },
    ack(tier, receipt) {
      counts.sqsRequests++;
      const queue = queueOf(tier);
      const entry = byReceipt(tier, queue, receipt);
      if (entry) queue.hidden.delete(entry.seq);
    },
    release(tier, receipt, delayMs) {
      counts.sqsRequests++;
      const queue = queueOf(tier);
      const entry = byReceipt(tier, queue, receipt);
      if (!entry) return;
      entry.receipt = `${entry.seq}.${entry.receiveCount}.released`;
      if (delayMs <= 0) {
        entry.visibleAt = loop.now;
        show(queue, entry);
        serveWaiters(queue);
      } else {
        hide(queue, entry, loop.now + delayMs);
        watchReappearance(queue);
      }
    },
    depth(tier) {
      counts.sqsRequests++;
      const queue = queueOf(tier);
      surface(queue);
      return { ready: queue.lanes.reduce((ready, visible) => ready + visible.size, 0), inFlight: queue.hidden.size, dead: queue.dead.length };
    },
    deadLetters: (tier) => queueOf(tier).dead,
  };
}
