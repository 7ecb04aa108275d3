import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

/**
 * The job store's one table (on-demand). Every item is addressed by a single string key `pk`:
 *
 * | item   | pk                        | holds                                                                  |
 * |--------|---------------------------|------------------------------------------------------------------------|
 * | run    | `RUN#<runId>`             | the ProvingRun (bigints as decimal strings), `taskToken` while waiting |
 * | job    | `JOB#<runId>#<jobId>`     | one proof job's state, lease, digest and its children's digests        |
 * | cursor | `CURSOR#<name>`           | a JSON value and a version for compare-and-set                         |
 * | fleet  | `FLEET#<tier>`            | the scaler's target for the tier, its surplus and leaves (dynamoFleetTargets.ts) |
 * | tick   | `FLEETTICK`               | the scaling tick's lease: one fleet-wide tick at a time (dynamoFleetTargets.ts) |
 *
 * Jobs have their own partition each, so a 61,440-tx block's ~370k jobs, written at thousands a second, spread over
 * the whole key space instead of one hot partition; a run's jobs are read together with BatchGetItem from its plan.
 * Only run items carry `runClass` (`active` or `finished`), so the `runsByClass` index is sparse and small: listing
 * runs is a Query of run ids there and a strongly consistent BatchGetItem of the runs, never a Scan. The index holds
 * keys only and its key changes once per run (when it finishes), so state changes cost no index writes, and a run's
 * state is never read from a lagging index. `ttl` (epoch seconds) expires finished runs and, well after their runs
 * end, job items.
 */
export const JOB_TABLE = {
  partitionKey: 'pk',
  runsByClassIndex: 'runsByClass',
  ttlAttribute: 'ttl',
} as const;

/** The CreateTable input for the job table; the CDK stack declares the same shape. */
export function jobTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: JOB_TABLE.partitionKey, AttributeType: 'S' },
      { AttributeName: 'runClass', AttributeType: 'S' },
      { AttributeName: 'runId', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: JOB_TABLE.partitionKey, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: JOB_TABLE.runsByClassIndex,
        KeySchema: [
          { AttributeName: 'runClass', KeyType: 'HASH' },
          { AttributeName: 'runId', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
  };
}

/** Creates the job table with its TTL if it does not exist (emulators, tests, benchmarks); returns once it is active. */
export async function ensureJobTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(jobTableDefinition(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (let attempt = 0; ; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') break;
    if (attempt > 100) throw new Error(`table ${tableName} did not become active (status ${Table?.TableStatus})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: JOB_TABLE.ttlAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    // A second ensure on the same table: TTL is on already.
    if (!(error instanceof Error && /already enabled/i.test(error.message))) throw error;
  }
}
