import { describe, expect, it } from 'vitest';
import { MalformedReceiptError } from '../../core/errors/index.js';
import type { JobMessage, WorkQueue } from '../../core/ports/workQueue.js';
import { withFixture } from './withFixture.js';

export interface WorkQueueFixture {
  readonly queue: WorkQueue;
  /** Dead-letter limit the fixture's queues were created with. */
  readonly maxReceiveCount: number;
  /** The smallest visibility timeout the adapter honours (SQS counts in whole seconds). */
  readonly visibilityMs: number;
  /** How long past a visibility timeout a message is surely visible again. */
  readonly marginMs: number;
  /** Lets `ms` of queue time pass. */
  advance(ms: number): Promise<void>;
  /** The queue's clock in seconds, the clock job messages' latest starts are written in. */
  nowSeconds(): number;
  close(): Promise<void>;
}

const message = (jobId: string, latestStart = 10): JobMessage => ({ runId: 'run', jobId, jobIndex: 0, latestStart });

/** The behaviour every WorkQueue adapter must have. Each test gets fresh queues. */
export function describeWorkQueueContract(name: string, open: () => Promise<WorkQueueFixture>) {
  describe(`WorkQueue contract: ${name}`, () => {
    const withQueue = withFixture(open);
    const receiveAll = async (fixture: WorkQueueFixture, max = 10) =>
      fixture.queue.receive('light', { max, waitMs: 0, visibilityMs: fixture.visibilityMs });

    it('delivers what was sent, up to max per receive, and keeps tiers apart', withQueue(async (fixture) => {
      await fixture.queue.send('light', [message('a'), message('b'), message('c')]);
      await fixture.queue.send('heavy', [message('h')]);
      const first = await receiveAll(fixture, 2);
      expect(first).toHaveLength(2);
      const second = await receiveAll(fixture, 10);
      const ids = [...first, ...second].map((delivery) => delivery.message.jobId).sort();
      expect(ids).toEqual(['a', 'b', 'c']);
      expect(second.every((delivery) => delivery.receiveCount === 1)).toBe(true);
      const heavy = await fixture.queue.receive('heavy', { max: 10, waitMs: 0, visibilityMs: fixture.visibilityMs });
      expect(heavy.map((delivery) => delivery.message)).toEqual([message('h')]);
    }));

    it('redelivers an unacknowledged message after its visibility timeout', withQueue(async (fixture) => {
      await fixture.queue.send('light', [message('a')]);
      const [first] = await receiveAll(fixture);
      expect(await receiveAll(fixture)).toEqual([]);
      await fixture.advance(fixture.visibilityMs + fixture.marginMs);
      const [again] = await receiveAll(fixture);
      expect(again).toMatchObject({ message: message('a'), receiveCount: 2 });
      expect(again!.receipt).not.toBe(first!.receipt);
    }));

    it('keeps an extended message invisible', withQueue(async (fixture) => {
      await fixture.queue.send('light', [message('a')]);
      const [delivery] = await receiveAll(fixture);
      await fixture.queue.extend('light', delivery!.receipt, fixture.visibilityMs * 4);
      await fixture.advance(fixture.visibilityMs + fixture.marginMs);
      expect(await receiveAll(fixture)).toEqual([]);
    }));

    it('forgets an acknowledged message', withQueue(async (fixture) => {
      await fixture.queue.send('light', [message('a')]);
      const [delivery] = await receiveAll(fixture);
      await fixture.queue.ack('light', delivery!.receipt);
      await fixture.advance(fixture.visibilityMs + fixture.marginMs);
      expect(await receiveAll(fixture)).toEqual([]);
    }));

    it('makes a released message visible again at once', withQueue(async (fixture) => {
      await fixture.queue.send('light', [message('a')]);
      const [delivery] = await receiveAll(fixture);
      await fixture.queue.release('light', delivery!.receipt, 0);
      const [again] = await fixture.queue.receive('light', { max: 1, waitMs: 2_000, visibilityMs: fixture.visibilityMs });
      expect(again).toMatchObject({ message: message('a'), receiveCount: 2 });
    }));

    it('dead-letters a message received more than maxReceiveCount times', withQueue(async (fixture) => {
      await fixture.queue.send('light', [message('poison')]);
      for (let i = 1; i <= fixture.maxReceiveCount; i++) {
        const [delivery] = await fixture.queue.receive('light', { max: 1, waitMs: 2_000, visibilityMs: fixture.visibilityMs });
        expect(delivery?.receiveCount).toBe(i);
        await fixture.queue.release('light', delivery!.receipt, 0);
      }
      expect(await fixture.queue.receive('light', { max: 1, waitMs: 1_000, visibilityMs: fixture.visibilityMs })).toEqual([]);
      await expect.poll(async () => (await fixture.queue.depth('light')).dead, { timeout: 15_000 }).toBe(1);
    }));

    it('long-polls: an empty receive waits, and a send wakes it', withQueue(async (fixture) => {
      const waiting = fixture.queue.receive('light', { max: 1, waitMs: 5_000, visibilityMs: fixture.visibilityMs });
      // A job with an hour of slack: with lanes, the least urgent lane is the one a long poll waits on.
      await fixture.queue.send('light', [message('late', fixture.nowSeconds() + 3_600)]);
      expect((await waiting).map((delivery) => delivery.message.jobId)).toEqual(['late']);
    }));

    it('delivers an urgent job (little slack) before relaxed ones sent earlier, across runs', withQueue(async (fixture) => {
      const now = fixture.nowSeconds();
      await fixture.queue.send('light', [{ ...message('relaxed', now + 3_600), runId: 'far' }, { ...message('later', now + 1_800), runId: 'far' }]);
      await fixture.queue.send('light', [{ ...message('urgent', now + 10), runId: 'near' }]);
      const [first] = await fixture.queue.receive('light', { max: 1, waitMs: 2_000, visibilityMs: fixture.visibilityMs });
      expect(first?.message.jobId).toBe('urgent');
      const rest: string[] = [];
      for (let attempt = 0; attempt < 3 && rest.length < 2; attempt++) {
        const got = await fixture.queue.receive('light', { max: 10, waitMs: 1_000, visibilityMs: fixture.visibilityMs * 10 });
        rest.push(...got.map((delivery) => delivery.message.jobId));
      }
      expect(rest.sort()).toEqual(['later', 'relaxed']);
    }));

    it('refuses a malformed receipt with a named error, and ignores one no longer in flight', withQueue(async (fixture) => {
      await fixture.queue.send('light', [message('a'), message('b')]);
      const [delivery] = await receiveAll(fixture, 1);
      for (const bad of ['', 'not-a-receipt', '99:x'.repeat(3)]) {
        await expect(fixture.queue.ack('light', bad)).rejects.toBeInstanceOf(MalformedReceiptError);
        await expect(fixture.queue.extend('light', bad, fixture.visibilityMs)).rejects.toBeInstanceOf(MalformedReceiptError);
        await expect(fixture.queue.release('light', bad, 0)).rejects.toBeInstanceOf(MalformedReceiptError);
      }
      await fixture.queue.ack('light', delivery!.receipt);
      await fixture.queue.ack('light', delivery!.receipt);
      await fixture.queue.release('light', delivery!.receipt, 0);
      const rest = await receiveAll(fixture);
      expect(rest.map((again) => again.message.jobId)).toEqual([delivery!.message.jobId === 'a' ? 'b' : 'a']);
    }));

    it('reports depth: ready and in flight', withQueue(async (fixture) => {
      await fixture.queue.send('light', [message('a'), message('b')]);
      await receiveAll(fixture, 1);
      await expect
        .poll(async () => fixture.queue.depth('light'), { timeout: 15_000 })
        .toMatchObject({ ready: 1, inFlight: 1, dead: 0 });
    }));
  });
}
