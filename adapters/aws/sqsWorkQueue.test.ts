import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../core/ports/logger.js';
import { describeWorkQueueContract } from '../../test/contracts/workQueue.contract.js';
import { emulatorClients, uniqueName } from '../../test/integration/support/awsTestEnvironment.js';
import { systemClock } from '../embedded/systemClock.js';
import { createTierQueues } from './createTierQueues.js';
import { createSqsWorkQueue } from './sqsWorkQueue.js';

const MAX_RECEIVE_COUNT = 3;

async function openQueues(log: Logger = silentLogger) {
  const clients = emulatorClients();
  const queues = await createTierQueues(clients.sqs, uniqueName('wq'), { maxReceiveCount: MAX_RECEIVE_COUNT });
  const queue = createSqsWorkQueue({ client: clients.sqs, queues, clock: systemClock, log });
  return {
    clients,
    queues,
    queue,
    close: async () => {
      await queues.remove();
      clients.destroy();
    },
  };
}

describeWorkQueueContract('AWS (SQS on LocalStack)', async () => {
  const { queue, close } = await openQueues();
  return {
    queue,
    maxReceiveCount: MAX_RECEIVE_COUNT,
    // SQS counts visibility in whole seconds.
    visibilityMs: 1_000,
    marginMs: 1_500,
    advance: (ms) => systemClock.sleep(ms),
    close,
  };
});

describe('the SQS work queue', () => {
  it('sends hundreds of messages in batches of ten and delivers each once', async () => {
    const { queue, close } = await openQueues();
    try {
      const messages = Array.from({ length: 230 }, (_, i) => ({ runId: 'r', jobId: `j${i}`, jobIndex: i, priority: i }));
      await queue.send('heavy', messages);
      const seen = new Set<string>();
      for (let round = 0; round < 60 && seen.size < messages.length; round++) {
        for (const delivery of await queue.receive('heavy', { max: 10, waitMs: 1_000, visibilityMs: 60_000 })) {
          expect(seen.has(delivery.message.jobId)).toBe(false);
          seen.add(delivery.message.jobId);
        }
      }
      expect(seen.size).toBe(230);
    } finally {
      await close();
    }
  });

  it('never hands out or acknowledges a malformed message: it is logged and dead-lettered', async () => {
    const errors: Record<string, unknown>[] = [];
    const log = { ...silentLogger, error: (_: string, fields?: Record<string, unknown>) => void errors.push(fields ?? {}) };
    const { queue, queues, clients, close } = await openQueues(log);
    try {
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: queues.light.url, MessageBody: '{"runId":"r","jobId":7}' }));
      for (let i = 0; i <= MAX_RECEIVE_COUNT; i++) {
        expect(await queue.receive('light', { max: 10, waitMs: 2_000, visibilityMs: 1_000 })).toEqual([]);
        await systemClock.sleep(1_100);
      }
      expect(errors.length).toBeGreaterThanOrEqual(MAX_RECEIVE_COUNT);
      expect(errors[0]).toMatchObject({ tier: 'light', body: '{"runId":"r","jobId":7}' });
      await expect.poll(async () => (await queue.depth('light')).dead, { timeout: 15_000 }).toBe(1);
    } finally {
      await close();
    }
  });

  it('hands back at once what a poll under way receives after the agent stopped', async () => {
    const { queue, close } = await openQueues();
    try {
      const stop = new AbortController();
      const waiting = queue.receive('light', { max: 1, waitMs: 2_000, visibilityMs: 60_000, signal: stop.signal });
      stop.abort(new Error('SIGTERM'));
      await queue.send('light', [{ runId: 'r', jobId: 'late', jobIndex: 0, priority: 1 }]);
      expect(await waiting).toEqual([]);
      // Not hidden for the 60 s visibility timeout: another agent gets it now.
      const [again] = await queue.receive('light', { max: 1, waitMs: 2_000, visibilityMs: 60_000 });
      expect(again?.message.jobId).toBe('late');
    } finally {
      await close();
    }
  });
});
