import type { AgentCapacity } from '../../core/ports/agentCapacity.js';
import type { Clock } from '../../core/ports/clock.js';
import type { FleetTargets } from '../../core/ports/fleetTargets.js';
import type { Logger } from '../../core/ports/logger.js';
import { createBatchAgentCapacity } from '../../adapters/aws/batchAgentCapacity.js';
import { createDynamoFleetTargets } from '../../adapters/aws/dynamoFleetTargets.js';
import { createDynamoJobStore, type DynamoJobStore } from '../../adapters/aws/dynamoJobStore.js';
import { createS3ArtifactStore, type S3ArtifactStore } from '../../adapters/aws/s3ArtifactStore.js';
import { createSqsWorkQueue, sqsLaneQueues } from '../../adapters/aws/sqsWorkQueue.js';
import { laneSettings } from '../../core/jobs/urgency.js';
import type { WorkQueue } from '../../core/ports/workQueue.js';
import type { AwsClients } from './clients.js';
import type { PipelineConfig } from './config.js';
import { CapacityNotConfiguredError } from './errors/runtimeErrors.js';

export interface PipelineAdapters {
  readonly store: DynamoJobStore;
  readonly queue: WorkQueue;
  readonly artifacts: S3ArtifactStore;
  readonly capacity: AgentCapacity;
  readonly targets: FleetTargets;
}

/** The AWS adapters of the proving pipeline, built once per process from its validated configuration. */
export function createPipelineAdapters(config: PipelineConfig, clients: AwsClients, clock: Clock, log: Logger): PipelineAdapters {
  const batch = (tier: 'HEAVY' | 'LIGHT') => {
    const spotJobQueue = config[`${tier}_JOB_QUEUE`];
    const jobDefinition = config[`${tier}_JOB_DEFINITION`];
    const onDemandJobQueue = config[`${tier}_ON_DEMAND_JOB_QUEUE`];
    return spotJobQueue && jobDefinition ? { spotJobQueue, jobDefinition, ...(onDemandJobQueue ? { onDemandJobQueue } : {}) } : null;
  };
  const heavy = batch('HEAVY');
  const light = batch('LIGHT');
  const capacity: AgentCapacity =
    heavy && light
      ? createBatchAgentCapacity({ client: clients.batch, tiers: { heavy, light }, clock, log, submitRatePerSecond: config.BATCH_SUBMIT_RATE })
      : {
          // Without Batch there are no agents of ours to count or stop; starting some is an error.
          count: async () => ({ running: 0, starting: 0 }),
          start: async (tier) => {
            throw new CapacityNotConfiguredError(tier);
          },
          stop: async () => undefined,
        };
  return {
    store: createDynamoJobStore({
      client: clients.dynamodb,
      tableName: config.JOB_TABLE_NAME,
      clock,
      runRetentionSeconds: config.RUN_RETENTION_SECONDS,
    }),
    queue: createSqsWorkQueue({
      client: clients.sqs,
      queues: {
        heavy: sqsLaneQueues('heavy', config.HEAVY_QUEUE_URL, config.HEAVY_DLQ_URL),
        light: sqsLaneQueues('light', config.LIGHT_QUEUE_URL, config.LIGHT_DLQ_URL),
      },
      lanes: laneSettings(config.QUEUE_LANE_SLACK_SECONDS ?? []),
      clock,
      log,
    }),
    artifacts: createS3ArtifactStore({
      client: clients.s3,
      bucket: config.ARTIFACT_BUCKET,
      ...(config.ARTIFACT_KMS_KEY_ID ? { kmsKeyId: config.ARTIFACT_KMS_KEY_ID } : {}),
    }),
    capacity,
    targets: createDynamoFleetTargets({ client: clients.dynamodb, tableName: config.JOB_TABLE_NAME }),
  };
}
