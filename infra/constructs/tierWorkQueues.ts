import { Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEAD_LETTER_QUEUE_FINDING, acknowledgeFindings } from './validatorFindings.js';
import { TIERS, type Tier } from '../../core/tiers.js';

export interface TierWorkQueuesProps {
  /** Encrypts every message (SSE-KMS). */
  readonly key: IKey;
  /**
   * Prover failures after which an agent fails a job for good (AGENT_MAX_FAILURES). The queue's own receive limit is
   * three more, the safety net for a job whose agents keep dying before they can record a failure.
   */
  readonly agentMaxFailures: number;
}

/** One tier's work queue and the dead-letter queue it redrives to. */
export interface TierQueue {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
}

/**
 * A standard queue and a dead-letter queue per tier, as adapters/aws/createTierQueues.ts makes them in tests: KMS
 * encryption, TLS only, 20 s long polls, a 2-minute default visibility that the agents' heartbeat extends, dead
 * letters kept 14 days.
 */
export class TierWorkQueues extends Construct {
  readonly tiers: Readonly<Record<Tier, TierQueue>>;
  readonly maxReceiveCount: number;

  constructor(scope: Construct, id: string, props: TierWorkQueuesProps) {
    super(scope, id);
    this.maxReceiveCount = props.agentMaxFailures + 3;
    const secure = { encryption: QueueEncryption.KMS, encryptionMasterKey: props.key, dataKeyReuse: Duration.hours(1), enforceSSL: true };
    const tiers = {} as Record<Tier, TierQueue>;
    for (const tier of TIERS) {
      const deadLetterQueue = new Queue(this, `${capitalised(tier)}DeadLetters`, { ...secure, retentionPeriod: Duration.days(14) });
      acknowledgeFindings(deadLetterQueue, [DEAD_LETTER_QUEUE_FINDING]);
      const queue = new Queue(this, capitalised(tier), {
        ...secure,
        visibilityTimeout: Duration.minutes(2),
        receiveMessageWaitTime: Duration.seconds(20),
        retentionPeriod: Duration.days(4),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: this.maxReceiveCount },
      });
      tiers[tier] = { queue, deadLetterQueue };
    }
    this.tiers = tiers;
  }
}

export function capitalised(tier: Tier): 'Heavy' | 'Light' {
  return tier === 'heavy' ? 'Heavy' : 'Light';
}
