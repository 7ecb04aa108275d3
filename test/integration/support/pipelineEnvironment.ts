import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { createDynamoJobStore, type DynamoJobStore } from '../../../adapters/aws/dynamoJobStore.js';
import { ensureJobTable } from '../../../adapters/aws/dynamoJobTable.js';
import { createTierQueues } from '../../../adapters/aws/createTierQueues.js';
import { createS3ArtifactStore, type S3ArtifactStore } from '../../../adapters/aws/s3ArtifactStore.js';
import { createSqsWorkQueue } from '../../../adapters/aws/sqsWorkQueue.js';
import { systemClock } from '../../../adapters/embedded/systemClock.js';
import { DEFAULT_LANE_SLACK_SECONDS, laneCount } from '../../../core/jobs/urgency.js';
import { silentLogger, type Logger } from '../../../core/ports/logger.js';
import type { WorkQueue } from '../../../core/ports/workQueue.js';
import type { ProtocolFixture } from '../../../l1/testing/protocolFixture.js';
import type { AwsClients } from '../../../runtime/aws/clients.js';
import { uniqueName } from './awsTestEnvironment.js';

const LANES = { laneSlackSeconds: DEFAULT_LANE_SLACK_SECONDS };

export interface PipelineEnvironment {
  readonly tableName: string;
  readonly bucket: string;
  readonly kmsKeyId: string;
  readonly queues: Awaited<ReturnType<typeof createTierQueues>>;
  readonly store: DynamoJobStore;
  readonly queue: WorkQueue;
  readonly artifacts: S3ArtifactStore;
  /** The pipeline's environment variables (runtime/aws/config.ts) for a handler or an agent process. */
  readonly env: Record<string, string>;
  remove(): Promise<void>;
}

/**
 * A fresh table, two lanes per tier (a queue and a DLQ each, split at 300 s of slack, as the construct deploys them),
 * bucket and artifact key on the emulators, and adapters over them.
 */
export async function createPipelineEnvironment(
  clients: AwsClients,
  options: { readonly maxReceiveCount: number; readonly log?: Logger },
): Promise<PipelineEnvironment> {
  const tableName = uniqueName('jobs');
  const bucket = uniqueName('artifacts');
  await ensureJobTable(clients.dynamodb, tableName);
  const queues = await createTierQueues(clients.sqs, uniqueName('work'), { maxReceiveCount: options.maxReceiveCount, lanes: laneCount(LANES) });
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const { KeyMetadata } = await clients.kms.send(new CreateKeyCommand({ Description: 'artifacts (test)' }));
  const kmsKeyId = KeyMetadata!.KeyId!;
  return {
    tableName,
    bucket,
    kmsKeyId,
    queues,
    store: createDynamoJobStore({ client: clients.dynamodb, tableName, clock: systemClock }),
    queue: createSqsWorkQueue({ client: clients.sqs, queues, lanes: LANES, clock: systemClock, log: options.log ?? silentLogger }),
    artifacts: createS3ArtifactStore({ client: clients.s3, bucket, kmsKeyId }),
    env: {
      JOB_TABLE_NAME: tableName,
      ARTIFACT_BUCKET: bucket,
      ARTIFACT_KMS_KEY_ID: kmsKeyId,
      HEAVY_QUEUE_URL: queues.heavy.map((lane) => lane.url).join(','),
      LIGHT_QUEUE_URL: queues.light.map((lane) => lane.url).join(','),
      HEAVY_DLQ_URL: queues.heavy.map((lane) => lane.deadLetterUrl!).join(','),
      LIGHT_DLQ_URL: queues.light.map((lane) => lane.deadLetterUrl!).join(','),
      QUEUE_LANE_SLACK_SECONDS: LANES.laneSlackSeconds.join(','),
      HEAVY_JOB_QUEUE: 'agents-heavy-spot',
      LIGHT_JOB_QUEUE: 'agents-light-spot',
      HEAVY_JOB_DEFINITION: 'agent-heavy',
      LIGHT_JOB_DEFINITION: 'agent-light',
    },
    remove: () => queues.remove(),
  };
}

/** Where a handler finds L1, the rollup and its prover id on the test chain (runtime/aws/config.ts), the devnet's state roots named. */
export function l1Environment(f: ProtocolFixture, rpcUrl: string, proverId: string): Record<string, string> {
  return {
    L1_RPC_URL: rpcUrl,
    L1_CHAIN_ID: String(f.chain.chain.id),
    STATE_ROOT_SOURCE: 'devnet-transition',
    ROLLUP_ADDRESS: f.deployment.rollup,
    PROVER_ID: proverId,
  };
}
