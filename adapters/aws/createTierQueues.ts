import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { TIERS, type Tier } from '../../core/tiers.js';
import type { TierQueueUrls } from './sqsWorkQueue.js';

/**
 * Creates a queue and its dead-letter queue per tier (emulators, tests, benchmarks; the CDK stack declares the same
 * shape): the main queue redrives to the DLQ after `maxReceiveCount` receives, the DLQ keeps messages 14 days.
 */
export async function createTierQueues(
  client: SQSClient,
  prefix: string,
  options: { readonly maxReceiveCount: number; readonly visibilitySeconds?: number },
): Promise<Record<Tier, TierQueueUrls> & { remove(): Promise<void> }> {
  const made: string[] = [];
  const queues = {} as Record<Tier, TierQueueUrls>;
  for (const tier of TIERS) {
    const dlq = await client.send(
      new CreateQueueCommand({ QueueName: `${prefix}-${tier}-dlq`, Attributes: { MessageRetentionPeriod: '1209600' } }),
    );
    made.push(dlq.QueueUrl!);
    const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }));
    const main = await client.send(
      new CreateQueueCommand({
        QueueName: `${prefix}-${tier}`,
        Attributes: {
          VisibilityTimeout: String(options.visibilitySeconds ?? 120),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: options.maxReceiveCount }),
        },
      }),
    );
    made.push(main.QueueUrl!);
    queues[tier] = { url: main.QueueUrl!, deadLetterUrl: dlq.QueueUrl! };
  }
  return {
    ...queues,
    async remove() {
      await Promise.all(made.map((url) => client.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined)));
    },
  };
}
