import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LANE_SLACK_SECONDS } from '../../core/jobs/urgency.js';
import { silentLogger, type Logger } from '../../core/ports/logger.js';
import { describeWorkQueueContract } from '../../test/contracts/workQueue.contract.js';
import { emulatorClients, uniqueName } from '../../test/integration/support/awsTestEnvironment.js';
import { systemClock } from '../embedded/systemClock.js';
import { createTierQueues } from './createTierQueues.js';
import { SqsLaneQueuesError, SqsReceiptError } from './errors/awsAdapterErrors.js';
import { createSqsWorkQueue, PREVIOUS_RELEASE_LATEST_START, sqsLaneQueues } from './sqsWorkQueue.js';

const MAX_RECEIVE_COUNT = 3;
const TWO_LANES = { laneSlackSeconds: DEFAULT_LANE_SLACK_SECONDS };

/** Two lanes per tier, as the construct deploys them by default. */
async function openQueues(log: Logger = silentLogger) {
  const clients = emulatorClients();
  const queues = await createTierQueues(clients.sqs, uniqueName('wq'), { maxReceiveCount: MAX_RECEIVE_COUNT, lanes: 2 });
  const queue = createSqsWorkQueue({ client: clients.sqs, queues, lanes: TWO_LANES, clock: systemClock, log });
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

describeWorkQueueContract('AWS (SQS on LocalStack, two lanes)', async () => {
  const { queue, close } = await openQueues();
  return {
    queue,
    maxReceiveCount: MAX_RECEIVE_COUNT,
    // SQS counts visibility in whole seconds.
    visibilityMs: 1_000,
    marginMs: 1_500,
    advance: (ms) => systemClock.sleep(ms),
    nowSeconds: () => systemClock.now() / 1_000,
    close,
  };
});

describe('the SQS work queue', () => {
  it('sends hundreds of messages in batches of ten and delivers each once', async () => {
    const { queue, close } = await openQueues();
    try {
      const messages = Array.from({ length: 230 }, (_, i) => ({ runId: 'r', jobId: `j${i}`, jobIndex: i, latestStart: i }));
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
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: queues.light[0]!.url, MessageBody: '{"runId":"r","jobId":7}' }));
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

  it('delivers a message of the previous release (priority, no latestStart) as the most urgent, and it is acknowledged', async () => {
    const errors: unknown[] = [];
    const log = { ...silentLogger, error: (message: string) => void errors.push(message) };
    const { queue, queues, clients, close } = await openQueues(log);
    try {
      // As an orchestrator of the previous revision left it in the queue that is now lane 0.
      const old = { runId: 'r', jobId: 'old', jobIndex: 3, priority: 42.5 };
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: queues.heavy[0]!.url, MessageBody: JSON.stringify(old) }));
      const [delivery] = await queue.receive('heavy', { max: 10, waitMs: 2_000, visibilityMs: 60_000 });
      expect(delivery?.message).toEqual({ runId: 'r', jobId: 'old', jobIndex: 3, latestStart: PREVIOUS_RELEASE_LATEST_START });
      await queue.ack('heavy', delivery!.receipt);
      expect(await queue.depth('heavy')).toEqual({ ready: 0, inFlight: 0, dead: 0 });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('sends priority beside latestStart, so an agent of the previous revision (which requires it) takes the job', async () => {
    const { queue, queues, clients, close } = await openQueues();
    try {
      await queue.send('light', [{ runId: 'r', jobId: 'new', jobIndex: 0, latestStart: 1 }]);
      const output = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.light[0]!.url, WaitTimeSeconds: 2 }));
      const body = JSON.parse(output.Messages?.[0]?.Body ?? '{}') as Record<string, unknown>;
      expect(body).toEqual({ runId: 'r', jobId: 'new', jobIndex: 0, latestStart: 1, priority: 0 });
    } finally {
      await close();
    }
  });

  it('still dead-letters a message with neither latestStart nor priority', async () => {
    const problems: unknown[] = [];
    const log = { ...silentLogger, error: (_: string, fields?: Record<string, unknown>) => void problems.push(fields?.problems) };
    const { queue, queues, clients, close } = await openQueues(log);
    try {
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: queues.light[0]!.url, MessageBody: '{"runId":"r","jobId":"j","jobIndex":0}' }));
      expect(await queue.receive('light', { max: 10, waitMs: 2_000, visibilityMs: 1_000 })).toEqual([]);
      expect(problems).toEqual([['latestStart: latestStart is required (or, from the previous release, priority)']]);
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
      await queue.send('light', [{ runId: 'r', jobId: 'late', jobIndex: 0, latestStart: 1 }]);
      expect(await waiting).toEqual([]);
      // Not hidden for the 60 s visibility timeout: another agent gets it now.
      const [again] = await queue.receive('light', { max: 1, waitMs: 2_000, visibilityMs: 60_000 });
      expect(again?.message.jobId).toBe('late');
    } finally {
      await close();
    }
  });

  it('sends each message to the lane its slack picks, and its receipt names the lane', async () => {
    const { queue, close } = await openQueues();
    try {
      const now = systemClock.now() / 1_000;
      await queue.send('heavy', [{ runId: 'r', jobId: 'relaxed', jobIndex: 0, latestStart: now + 3_600 }, { runId: 'r', jobId: 'urgent', jobIndex: 1, latestStart: now + 60 }]);
      const [urgent] = await queue.receive('heavy', { max: 10, waitMs: 0, visibilityMs: 60_000 });
      expect(urgent).toMatchObject({ message: { jobId: 'urgent' } });
      expect(urgent!.receipt.startsWith('0:')).toBe(true);
      const [relaxed] = await queue.receive('heavy', { max: 10, waitMs: 2_000, visibilityMs: 60_000 });
      expect(relaxed).toMatchObject({ message: { jobId: 'relaxed' } });
      expect(relaxed!.receipt.startsWith('1:')).toBe(true);
      await expect(queue.ack('heavy', `2:${relaxed!.receipt.slice(2)}`)).rejects.toThrow(SqsReceiptError);
      await queue.ack('heavy', relaxed!.receipt);
      expect(await queue.depth('heavy')).toMatchObject({ ready: 0, inFlight: 1 });
    } finally {
      await close();
    }
  });
});

describe('the SQS lane configuration', () => {
  const client = new SQSClient({ region: 'us-east-1' });
  const lane = (name: string) => ({ url: `https://sqs.us-east-1.amazonaws.com/000000000000/${name}` });

  it('refuses lane queues that do not match the lane splits', () => {
    const queues = { heavy: [lane('h0'), lane('h1')], light: [lane('l0')] };
    expect(() => createSqsWorkQueue({ client, queues, lanes: TWO_LANES, clock: systemClock, log: silentLogger })).toThrow(SqsLaneQueuesError);
    expect(() => createSqsWorkQueue({ client, queues: { heavy: [lane('h0'), lane('h1')], light: [lane('l0'), lane('l1')] }, clock: systemClock, log: silentLogger })).toThrow(
      SqsLaneQueuesError,
    );
  });

  it('refuses dead-letter queues that do not pair one to one with the lanes', () => {
    expect(() => sqsLaneQueues('heavy', ['https://q/0', 'https://q/1'], ['https://d/0'])).toThrow(SqsLaneQueuesError);
    expect(sqsLaneQueues('heavy', ['https://q/0', 'https://q/1'], ['https://d/0', 'https://d/1'])).toEqual([
      { url: 'https://q/0', deadLetterUrl: 'https://d/0' },
      { url: 'https://q/1', deadLetterUrl: 'https://d/1' },
    ]);
    expect(sqsLaneQueues('light', ['https://q/0'])).toEqual([{ url: 'https://q/0' }]);
  });
});
