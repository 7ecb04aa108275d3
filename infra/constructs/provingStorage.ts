import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { JOB_TABLE } from '../../adapters/aws/dynamoJobTable.js';
import { acknowledge } from './acknowledge.js';
import { acknowledgeFindings } from './validatorFindings.js';

export interface ProvingStorageProps {
  /** Encrypts the table and the artifacts (SSE-KMS, bucket keys on). */
  readonly key: IKey;
  /**
   * How long proofs and bodies are kept; the bucket expires them after this.
   * @default Duration.days(7)
   */
  readonly artifactRetention?: Duration;
  /**
   * What happens to the table and the bucket when the stack is deleted (a bucket is only deleted when empty).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Where S3 server access logs of the artifact bucket go.
   * @default no server access logs (the artifacts are content-addressed and read only by this deployment's roles)
   */
  readonly accessLogsBucket?: IBucket;
}

const JOB_STORE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'];

/**
 * The job store's table and the artifact bucket. The table is exactly what adapters/aws/dynamoJobTable.ts creates in
 * tests: one string key `pk`, the keys-only `runsByClass` index (runClass, runId), TTL on `ttl`, on demand, with point-in-time recovery.
 */
export class ProvingStorage extends Construct {
  readonly table: Table;
  readonly bucket: Bucket;
  private readonly key: IKey;

  constructor(scope: Construct, id: string, props: ProvingStorageProps) {
    super(scope, id);
    this.key = props.key;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.table = new Table(this, 'Jobs', {
      partitionKey: { name: JOB_TABLE.partitionKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: JOB_TABLE.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      removalPolicy,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: JOB_TABLE.runsByClassIndex,
      partitionKey: { name: 'runClass', type: AttributeType.STRING },
      sortKey: { name: 'runId', type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });

    const retention = props.artifactRetention ?? Duration.days(7);
    this.bucket = new Bucket(this, 'Artifacts', {
      encryption: BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: false,
      lifecycleRules: [{ id: 'expire-artifacts', expiration: retention, abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy,
      ...(props.accessLogsBucket ? { serverAccessLogsBucket: props.accessLogsBucket, serverAccessLogsPrefix: 'prover-burst-artifacts/' } : {}),
    });
    acknowledgeFindings(this.bucket, [
      {
        validator: 'checkov',
        rule: 'CKV_AWS_21',
        reason: 'artifacts are content-addressed (a key names one content forever) and expire after artifactRetention: a version could only ever repeat the same bytes, at twice the storage',
      },
    ]);
    if (!props.accessLogsBucket) {
      acknowledgeFindings(this.bucket, [
        {
          validator: 'checkov',
          rule: 'CKV_AWS_18',
          reason: 'as cdk-nag S1 here: ~1M requests a block by this deployment\'s own roles are cost, not an audit signal; pass accessLogsBucket (or enable CloudTrail S3 data events) where an audit needs them',
        },
      ]);
      acknowledge(
        this.bucket,
        'content-addressed proofs read and written only by this deployment\'s roles, TLS only, no public access: per-request logs of ~1M requests a block add cost, not a security signal; pass accessLogsBucket (or enable CloudTrail S3 data events) where an audit needs them',
        'S1',
      );
    }
  }

  /**
   * The calls adapters/aws/dynamoJobStore.ts makes, and no more: GetItem, BatchGetItem, Query (the runsByClass
   * index), PutItem, UpdateItem, and ConditionCheckItem for TransactWriteItems; plus the table key.
   */
  grantJobStore(grantee: IGrantable): Grant {
    return this.table
      .grant(grantee, ...JOB_STORE_ACTIONS)
      .combine(this.key.grant(grantee, 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'));
  }

  /**
   * GetItem on the fleet targets only (`FLEET#<tier>` items, adapters/aws/dynamoFleetTargets.ts): what quoting reads
   * to see the work the fleet is committed to. Nothing else of the job store.
   */
  grantReadFleetTargets(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem'],
      resourceArns: [this.table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['FLEET#*'] } },
    }).combine(this.key.grant(grantee, 'kms:Decrypt', 'kms:DescribeKey'));
  }
}
