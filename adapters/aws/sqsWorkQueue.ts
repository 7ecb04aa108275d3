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
import type { Clock } from '../../core/ports/clock.js';
import type { Logger } from '../../core/ports/logger.js';
import type { Delivery, JobMessage, WorkQueue } from '../../core/ports/workQueue.js';
import type { Tier } from '../../core/tiers.js';
import { SqsSendError } from './errors/awsAdapterErrors.js';

export interface TierQueueUrls {
  readonly url: string;
  /** The dead-letter queue the main queue redrives to; depth reports 0 dead when unset. */
  readonly deadLetterUrl?: string;
}

export interface SqsWorkQueueOptions {
  readonly client: SQSClient;
  readonly queues: Readonly<Record<Tier, TierQueueUrls>>;
  readonly clock: Clock;
  readonly log: Logger;
  /** SendMessageBatch calls in flight at once. @default 16 */
  readonly sendConcurrency?: number;
  /** Tries for entries SQS refuses (throttling, internal errors) before giving up. @default 6 */
  readonly sendAttempts?: number;
}

/** What a queue message must hold; anything else is poison and is left for the dead-letter queue. */
export const jobMessageSchema = z.object({
  runId: z.string().min(1),
  jobId: z.string().min(1),
  jobIndex: z.number().int().nonnegative(),
  priority: z.number().finite(),
});

const SQS_BATCH = 10;
const MAX_WAIT_SECONDS = 20;
const MAX_VISIBILITY_SECONDS = 43_200;
/** Errors SQS returns when a receipt no longer names an in-flight message: the embedded queue ignores those too. */
const STALE_RECEIPT = /ReceiptHandleIsInvalid|MessageNotInflight|InvalidParameterValue/;

/**
 * One SQS standard queue per tier, each redriving to a dead-letter queue after its `maxReceiveCount`. Receives
 * long-poll (up to 20 s); a poll under way when the agent stops is let finish and its messages made visible at once.
 * Every receive counts towards `maxReceiveCount`, including one that a held lease or a stop hands back, so the limit
 * sits above the agents' `maxFailures` (the CDK uses `maxFailures + 3`); a job handed back more often than that still
 * reaches the dead-letter queue and its run waits for the deadline (the DLQ alarm reports it). Visibility is in whole
 * seconds, extended by the agent's heartbeat and used to release a message later; an ack deletes. Sends go out as batches of ten, sixteen
 * batches in flight, and entries SQS refuses are retried. Unlike the in-process queue, SQS has no priority: jobs
 * arrive roughly in send order, not longest remaining critical path first (the planner sends the leaves of the
 * longest paths first, and the DAG's shape keeps the rest close to it). Messages are validated on receive; a
 * malformed one is logged and never acknowledged, so it ends in the dead-letter queue.
 */
export function createSqsWorkQueue(options: SqsWorkQueueOptions): WorkQueue {
  const { client, queues, log, clock } = options;
  const concurrency = options.sendConcurrency ?? 16;
  const attempts = options.sendAttempts ?? 6;
  const urlOf = (tier: Tier) => queues[tier].url;
  const seconds = (ms: number, max: number) => Math.min(max, Math.max(0, Math.ceil(ms / 1000)));

  async function sendBatch(tier: Tier, batch: readonly JobMessage[]): Promise<{ jobId: string; code: string; message: string }[]> {
    let pending: SendMessageBatchRequestEntry[] = batch.map((message, i) => ({ Id: String(i), MessageBody: JSON.stringify(message) }));
    let failed: { jobId: string; code: string; message: string }[] = [];
    for (let attempt = 0; attempt < attempts && pending.length > 0; attempt++) {
      if (attempt > 0) await clock.sleep(Math.min(100 * 2 ** attempt, 5_000));
      const output = await client.send(new SendMessageBatchCommand({ QueueUrl: urlOf(tier), Entries: pending }));
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
    try {
      await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: urlOf(tier), ReceiptHandle: receipt, VisibilityTimeout: visibilitySeconds }));
    } catch (error) {
      if (!(error instanceof Error && STALE_RECEIPT.test(`${error.name} ${error.message}`))) throw error;
      log.debug('visibility change on a message no longer in flight', { tier, error: error.message });
    }
  }

  return {
    async send(tier, messages) {
      const batches: JobMessage[][] = [];
      for (let i = 0; i < messages.length; i += SQS_BATCH) batches.push(messages.slice(i, i + SQS_BATCH));
      const failures: { jobId: string; code: string; message: string }[] = [];
      let next = 0;
      const worker = async () => {
        while (next < batches.length) failures.push(...(await sendBatch(tier, batches[next++]!)));
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
      if (failures.length > 0) throw new SqsSendError(tier, failures);
    },

    async receive(tier, { max, waitMs, visibilityMs, signal }) {
      if (signal?.aborted) return [];
      // The poll is not cut short when the agent stops: SQS would still hand messages to the dead connection and
      // hide them for the whole visibility timeout. It runs out (at most 20 s) and whatever it got goes straight back.
      const output = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: urlOf(tier),
          MaxNumberOfMessages: Math.max(1, Math.min(SQS_BATCH, max)),
          WaitTimeSeconds: seconds(waitMs, MAX_WAIT_SECONDS),
          VisibilityTimeout: seconds(visibilityMs, MAX_VISIBILITY_SECONDS),
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      if (signal?.aborted) {
        await Promise.all((output.Messages ?? []).map((message) => changeVisibility(tier, message.ReceiptHandle!, 0)));
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
            messageId: message.MessageId,
            receiveCount: message.Attributes?.ApproximateReceiveCount,
            body: (message.Body ?? '').slice(0, 500),
            problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
          });
          continue;
        }
        deliveries.push({
          message: parsed.data,
          receipt: message.ReceiptHandle!,
          receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
        });
      }
      return deliveries;
    },

    extend: (tier, receipt, visibilityMs) => changeVisibility(tier, receipt, seconds(visibilityMs, MAX_VISIBILITY_SECONDS)),

    async ack(tier, receipt) {
      try {
        await client.send(new DeleteMessageCommand({ QueueUrl: urlOf(tier), ReceiptHandle: receipt }));
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
      const dlq = queues[tier].deadLetterUrl;
      const [main, dead] = await Promise.all([attributes(urlOf(tier)), dlq ? attributes(dlq) : Promise.resolve({})]);
      return {
        ready: Number(main.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(main.ApproximateNumberOfMessagesNotVisible ?? 0),
        dead: Number((dead as Record<string, string>).ApproximateNumberOfMessages ?? 0),
      };
    },
  };
}
