import { Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEAD_LETTER_QUEUE_FINDING, acknowledgeFindings } from './validatorFindings.js';
import { DEFAULT_LANE_SLACK_SECONDS, laneCount, laneSettings } from '../../core/jobs/urgency.js';
import { TIERS, type Tier } from '../../core/tiers.js';

export interface TierWorkQueuesProps {
  /** Encrypts every message (SSE-KMS). */
  readonly key: IKey;
  /**
   * Prover failures after which an agent fails a job for good (AGENT_MAX_FAILURES). The queue's own receive limit is
   * three more, the safety net for a job whose agents keep dying before they can record a failure.
   */
  readonly agentMaxFailures: number;
  /**
   * Where a job's slack (its latest start less now, seconds) splits each tier into lanes, one queue each; agents ask
   * the lanes most urgent first. Passed to every process as QUEUE_LANE_SLACK_SECONDS. [] is one queue per tier.
   * @default [300]: two lanes, urgent below 5 minutes of slack
   */
  readonly laneSlackSeconds?: readonly number[];
}

/** One lane's work queue and the dead-letter queue it redrives to. */
export interface TierQueue {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
}

/**
 * A standard queue and a dead-letter queue per tier and lane, as adapters/aws/createTierQueues.ts makes them in
 * tests: KMS encryption, TLS only, 20 s long polls, a 2-minute default visibility that the agents' heartbeat extends,
 * dead letters kept 14 days. SQS standard queues have no priority, so urgency is carried by lanes (see
 * `core/jobs/urgency.ts`); the first lane keeps the construct ids a one-queue deployment had.
 */
export class TierWorkQueues extends Construct {
  /** Each tier's lanes, most urgent first. */
  readonly tiers: Readonly<Record<Tier, readonly TierQueue[]>>;
  readonly maxReceiveCount: number;
  /** The lane splits, as QUEUE_LANE_SLACK_SECONDS carries them. */
  readonly laneSlackSeconds: readonly number[];

  constructor(scope: Construct, id: string, props: TierWorkQueuesProps) {
    super(scope, id);
    this.maxReceiveCount = props.agentMaxFailures + 3;
    const lanes = laneSettings(props.laneSlackSeconds ?? DEFAULT_LANE_SLACK_SECONDS);
    this.laneSlackSeconds = lanes.laneSlackSeconds;
    const secure = { encryption: QueueEncryption.KMS, encryptionMasterKey: props.key, dataKeyReuse: Duration.hours(1), enforceSSL: true };
    const tiers = {} as Record<Tier, TierQueue[]>;
    for (const tier of TIERS) {
      tiers[tier] = Array.from({ length: laneCount(lanes) }, (_, lane) => {
        const name = laneId(tier, lane);
        const deadLetterQueue = new Queue(this, `${name}DeadLetters`, { ...secure, retentionPeriod: Duration.days(14) });
        acknowledgeFindings(deadLetterQueue, [DEAD_LETTER_QUEUE_FINDING]);
        const queue = new Queue(this, name, {
          ...secure,
          visibilityTimeout: Duration.minutes(2),
          receiveMessageWaitTime: Duration.seconds(20),
          retentionPeriod: Duration.days(4),
          deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: this.maxReceiveCount },
        });
        return { queue, deadLetterQueue };
      });
    }
    this.tiers = tiers;
  }

  /** A tier's lane queue URLs (or their dead-letter queues'), comma-separated, as HEAVY_QUEUE_URL and the rest carry them. */
  urls(tier: Tier, which: 'queue' | 'deadLetterQueue'): string {
    return this.tiers[tier].map((lane) => lane[which].queueUrl).join(',');
  }

  /** The environment that tells every process how many lanes there are; none for one lane. */
  laneEnvironment(): Record<string, string> {
    return this.laneSlackSeconds.length > 0 ? { QUEUE_LANE_SLACK_SECONDS: this.laneSlackSeconds.join(',') } : {};
  }
}

/** A lane's construct id: the tier's for the first lane (as before lanes), `<Tier>Lane<n>` for the others. */
export function laneId(tier: Tier, lane: number): string {
  return lane === 0 ? capitalised(tier) : `${capitalised(tier)}Lane${lane}`;
}

export function capitalised(tier: Tier): 'Heavy' | 'Light' {
  return tier === 'heavy' ? 'Heavy' : 'Light';
}
