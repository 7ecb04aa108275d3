import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { laneCount, laneOf, type LaneSettings } from '../../core/jobs/urgency.js';
import type { Clock } from '../../core/ports/clock.js';
import type { Logger } from '../../core/ports/logger.js';
import type { Delivery, JobMessage, ReceiveOptions, WorkQueue } from '../../core/ports/workQueue.js';
import { TIERS, type Tier } from '../../core/tiers.js';
import { SqsLaneQueuesError, SqsReceiptError, SqsSendError } from './errors/awsAdapterErrors.js';

/** One lane's SQS queue. */
export interface TierQueueUrls {
  readonly url: string;
  /** The dead-letter queue the lane's queue redrives to; depth reports 0 dead when unset. */
  readonly deadLetterUrl?: string;
}

export interface SqsWorkQueueOptions {
  readonly client: SQSClient;
  /** Each tier's lane queues, most urgent first: one more than `lanes` has splits. */
  readonly queues: Readonly<Record<Tier, readonly TierQueueUrls[]>>;
  /** Which lane a message goes to by its slack. @default one lane */
  readonly lanes?: LaneSettings;
  readonly clock: Clock;
  readonly log: Logger;
  /** SendMessageBatch calls in flight at once. @default 16 */
  readonly sendConcurrency?: number;
  /** Tries for entries SQS refuses (throttling, internal errors) before giving up. @default 6 */
  readonly sendAttempts?: number;
}

/** A tier's lane queues from its URL lists (configuration order, most urgent first); DLQs, if any, one per lane. */
export function sqsLaneQueues(tier: Tier, urls: readonly string[], deadLetterUrls: readonly string[] = []): TierQueueUrls[] {
  if (deadLetterUrls.length !== 0 && deadLetterUrls.length !== urls.length) throw new SqsLaneQueuesError(tier, urls.length, urls.length, deadLetterUrls.length);
  return urls.map((url, lane) => (deadLetterUrls.length > 0 ? { url, deadLetterUrl: deadLetterUrls[lane]! } : { url }));
}

/**
 * The latest start given to a message of the previous release's shape (`priority`, no `latestStart`): the most urgent
 * there is, so it goes to lane 0 and first in every order, and stays finite so it survives JSON if sent again.
 */
export const PREVIOUS_RELEASE_LATEST_START = -Number.MAX_VALUE;

/**
 * What a queue message must hold; anything else is poison and is left for the dead-letter queue. For one release a
 * message of the previous shape (`priority` instead of `latestStart`, left in a reused queue by an in-place deploy) is
 * accepted too and treated as the most urgent; drop `priority` here and in `wireBody` in the release after.
 */
export const jobMessageSchema = z
  .object({
    runId: z.string().min(1),
    jobId: z.string().min(1),
    jobIndex: z.number().int().nonnegative(),
    latestStart: z.number().finite().optional(),
    priority: z.number().finite().optional(),
  })
  .refine((body) => body.latestStart !== undefined || body.priority !== undefined, {
    message: 'latestStart is required (or, from the previous release, priority)',
    path: ['latestStart'],
  })
  .transform(
    (body): JobMessage => ({
      runId: body.runId,
      jobId: body.jobId,
      jobIndex: body.jobIndex,
      latestStart: body.latestStart ?? PREVIOUS_RELEASE_LATEST_START,
    }),
  );

/**
 * A message as sent: with `priority: 0` beside `latestStart` for one release, so an agent of the previous job
 * definition (whose schema requires `priority` and only checks it is a number) still during a deploy takes the job
 * instead of leaving it for the dead-letter queue.
 */
function wireBody(message: JobMessage): string {
  return JSON.stringify({ ...message, priority: 0 });
}

const SQS_BATCH = 10;
const MAX_WAIT_SECONDS = 20;
const MAX_VISIBILITY_SECONDS = 43_200;
/** Errors SQS returns when a receipt no longer names an in-flight message: the embedded queue ignores those too. */
const STALE_RECEIPT = /ReceiptHandleIsInvalid|MessageNotInflight|InvalidParameterValue/;

/**
 * One SQS standard queue per tier and lane, each redriving to a dead-letter queue after its `maxReceiveCount`. Receives
 * long-poll (up to 20 s); a poll under way when the agent stops is let finish and its messages made visible at once.
 * Every receive counts towards `maxReceiveCount`, including one that a held lease or a stop hands back, so the limit
 * sits above the agents' `maxFailures` (the CDK uses `maxFailures + 3`); a job handed back more often than that still
 * reaches the dead-letter queue and its run waits for the deadline (the DLQ alarm reports it). Visibility is in whole
 * seconds, extended by the agent's heartbeat and used to release a message later; an ack deletes. Sends go out as batches of ten, sixteen
 * batches in flight, and entries SQS refuses are retried. SQS has no priority and only best-effort order, so urgency
 * travels by lane: a message goes, when sent, to the lane its slack picks (`laneOf`: latest start less now, the
 * wall clock standing in for L1's), and a receive asks the lanes most urgent first, short-polling all but the last
 * and long-polling the last; within a lane jobs arrive roughly in send order. A receipt names its lane
 * (`<lane>:<handle>`). Messages are validated on receive; a malformed one is logged and never acknowledged, so it
 * ends in the dead-letter queue.
 */
export function createSqsWorkQueue(options: SqsWorkQueueOptions): WorkQueue {
  const { client, queues, log, clock } = options;
  const lanes = options.lanes ?? { laneSlackSeconds: [] };
  const concurrency = options.sendConcurrency ?? 16;
  const attempts = options.sendAttempts ?? 6;
  for (const tier of TIERS) {
    const urls = queues[tier];
    const deadLetters = urls.filter((queue) => queue.deadLetterUrl !== undefined).length;
    if (urls.length !== laneCount(lanes) || (deadLetters !== 0 && deadLetters !== urls.length)) {
      throw new SqsLaneQueuesError(tier, laneCount(lanes), urls.length, deadLetters);
    }
  }
  const urlOf = (tier: Tier, lane: number) => queues[tier][lane]!.url;
  const seconds = (ms: number, max: number) => Math.min(max, Math.max(0, Math.ceil(ms / 1000)));
  /** The lane and SQS's handle of a receipt this queue handed out. */
  const parseReceipt = (tier: Tier, receipt: string): { lane: number; handle: string } => {
    const colon = receipt.indexOf(':');
    const lane = colon > 0 ? Number(receipt.slice(0, colon)) : NaN;
    if (!Number.isInteger(lane) || lane < 0 || lane >= queues[tier].length || colon === receipt.length - 1) throw new SqsReceiptError(tier, receipt);
    return { lane, handle: receipt.slice(colon + 1) };
  };

  async function sendBatch(tier: Tier, lane: number, batch: readonly JobMessage[]): Promise<{ jobId: string; code: string; message: string }[]> {
    let pending: SendMessageBatchRequestEntry[] = batch.map((message, i) => ({ Id: String(i), MessageBody: wireBody(message) }));
    let failed: { jobId: string; code: string; message: string }[] = [];
    for (let attempt = 0; attempt < attempts && pending.length > 0; attempt++) {
      if (attempt > 0) await clock.sleep(Math.min(100 * 2 ** attempt, 5_000));
      const output = await client.send(new SendMessageBatchCommand({ QueueUrl: urlOf(tier, lane), Entries: pending }));
      const refused = new Map((output.Failed ?? []).map((failure) => [failure.Id, failure]));
      failed = [...refused.values()].map((failure) => ({
        jobId: batch[Number(failure.Id)]!.jobId,
        code: failure.Code ?? '',
        message: failure.Message ?? '',
      }));
      // A sender fault (a malformed entry) will fail the same way again.
      if ([...refused.values()].some((failure) => failure.SenderFault)) break;
      pending = pending.filter((entry) => refused.has(entry.Id));
    }
    return failed;
  }

  async function changeVisibility(tier: Tier, receipt: string, visibilitySeconds: number) {
    const { lane, handle } = parseReceipt(tier, receipt);
    try {
      await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: urlOf(tier, lane), ReceiptHandle: handle, VisibilityTimeout: visibilitySeconds }));
    } catch (error) {
      if (!(error instanceof Error && STALE_RECEIPT.test(`${error.name} ${error.message}`))) throw error;
      log.debug('visibility change on a message no longer in flight', { tier, error: error.message });
    }
  }

  return {
    async send(tier, messages) {
      const now = clock.now() / 1_000;
      const byLane: JobMessage[][] = queues[tier].map(() => []);
      for (const message of messages) byLane[laneOf(message.latestStart, now, lanes)]!.push(message);
      const batches: { lane: number; batch: JobMessage[] }[] = [];
      byLane.forEach((laneMessages, lane) => {
        for (let i = 0; i < laneMessages.length; i += SQS_BATCH) batches.push({ lane, batch: laneMessages.slice(i, i + SQS_BATCH) });
      });
      const failures: { jobId: string; code: string; message: string }[] = [];
      let next = 0;
      const worker = async () => {
        while (next < batches.length) {
          const { lane, batch } = batches[next++]!;
          failures.push(...(await sendBatch(tier, lane, batch)));
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
      if (failures.length > 0) throw new SqsSendError(tier, failures);
    },

    async receive(tier, { max, waitMs, visibilityMs, signal }) {
      const last = queues[tier].length - 1;
      for (let lane = 0; lane <= last; lane++) {
        const deliveries = await receiveLane(tier, lane, { max, waitMs: lane === last ? waitMs : 0, visibilityMs, signal });
        if (deliveries.length > 0 || signal?.aborted) return deliveries;
      }
      return [];
    },

    extend: (tier, receipt, visibilityMs) => changeVisibility(tier, receipt, seconds(visibilityMs, MAX_VISIBILITY_SECONDS)),

    async ack(tier, receipt) {
      const { lane, handle } = parseReceipt(tier, receipt);
      try {
        await client.send(new DeleteMessageCommand({ QueueUrl: urlOf(tier, lane), ReceiptHandle: handle }));
      } catch (error) {
        if (!(error instanceof Error && STALE_RECEIPT.test(`${error.name} ${error.message}`))) throw error;
      }
    },

    release: (tier, receipt, delayMs) => changeVisibility(tier, receipt, seconds(delayMs, MAX_VISIBILITY_SECONDS)),

    async depth(tier) {
      const attributes = async (url: string) =>
        (
          await client.send(
            new GetQueueAttributesCommand({
              QueueUrl: url,
              AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
            }),
          )
        ).Attributes ?? {};
      const count = (found: Record<string, string>, name: string) => Number(found[name] ?? 0);
      const perLane = await Promise.all(
        queues[tier].map(async ({ url, deadLetterUrl }) => {
          const [main, dead] = await Promise.all([attributes(url), deadLetterUrl ? attributes(deadLetterUrl) : Promise.resolve({})]);
          return {
            ready: count(main, 'ApproximateNumberOfMessages'),
            inFlight: count(main, 'ApproximateNumberOfMessagesNotVisible'),
            dead: count(dead, 'ApproximateNumberOfMessages'),
          };
        }),
      );
      return perLane.reduce((sum, lane) => ({ ready: sum.ready + lane.ready, inFlight: sum.inFlight + lane.inFlight, dead: sum.dead + lane.dead }));
    },
  };

  /** One ReceiveMessage on one lane; the receipts handed out name the lane. */
  async function receiveLane(tier: Tier, lane: number, { max, waitMs, visibilityMs, signal }: ReceiveOptions): Promise<Delivery[]> {
    if (signal?.aborted) return [];
    // The poll is not cut short when the agent stops: SQS would still hand messages to the dead connection and
    // hide them for the whole visibility timeout. It runs out (at most 20 s) and whatever it got goes straight back.
    const output = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: urlOf(tier, lane),
        MaxNumberOfMessages: Math.max(1, Math.min(SQS_BATCH, max)),
        WaitTimeSeconds: seconds(waitMs, MAX_WAIT_SECONDS),
        VisibilityTimeout: seconds(visibilityMs, MAX_VISIBILITY_SECONDS),
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    if (signal?.aborted) {
      await Promise.all((output.Messages ?? []).map((message) => changeVisibility(tier, `${lane}:${message.ReceiptHandle!}`, 0)));
      return [];
    }
    const deliveries: Delivery[] = [];
    for (const message of output.Messages ?? []) {
      let body: unknown;
      try {
        body = JSON.parse(message.Body ?? '');
      } catch {
        body = undefined;
      }
      const parsed = jobMessageSchema.safeParse(body);
      if (!parsed.success) {
        log.error('malformed job message left for the dead-letter queue', {
          tier,
          lane,
          messageId: message.MessageId,
          receiveCount: message.Attributes?.ApproximateReceiveCount,
          body: (message.Body ?? '').slice(0, 500),
          problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
        });
        continue;
      }
      deliveries.push({
        message: parsed.data,
        receipt: `${lane}:${message.ReceiptHandle!}`,
        receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
      });
    }
    return deliveries;
  }
}
