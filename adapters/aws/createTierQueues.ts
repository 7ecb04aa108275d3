import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { TIERS, type Tier } from '../../core/tiers.js';
import type { TierQueueUrls } from './sqsWorkQueue.js';

/**
 * Creates a queue and its dead-letter queue per tier and lane (emulators, tests, benchmarks; the CDK stack declares
 * the same shape): each lane's queue redrives to its DLQ after `maxReceiveCount` receives, the DLQ keeps messages
 * 14 days. Lanes are listed most urgent first.
 */
export async function createTierQueues(
  client: SQSClient,
  prefix: string,
  options: { readonly maxReceiveCount: number; readonly visibilitySeconds?: number; /** @default 1 */ readonly lanes?: number },
): Promise<Record<Tier, TierQueueUrls[]> & { remove(): Promise<void> }> {
  const made: string[] = [];
  const queues = {} as Record<Tier, TierQueueUrls[]>;
  for (const tier of TIERS) {
    queues[tier] = [];
    for (let lane = 0; lane < (options.lanes ?? 1); lane++) queues[tier].push(await createLane(`${prefix}-${tier}${lane === 0 ? '' : `-lane${lane}`}`));
  }
  return {
    ...queues,
    async remove() {
      await Promise.all(made.map((url) => client.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined)));
    },
  };

  async function createLane(name: string): Promise<TierQueueUrls> {
    const dlq = await client.send(new CreateQueueCommand({ QueueName: `${name}-dlq`, Attributes: { MessageRetentionPeriod: '1209600' } }));
    made.push(dlq.QueueUrl!);
    const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }));
    const main = await client.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          VisibilityTimeout: String(options.visibilitySeconds ?? 120),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: options.maxReceiveCount }),
        },
      }),
    );
    made.push(main.QueueUrl!);
    return { url: main.QueueUrl!, deadLetterUrl: dlq.QueueUrl! };
  }
}
