import { BatchClient } from '@aws-sdk/client-batch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';

export type AwsService = 'dynamodb' | 'sqs' | 's3' | 'batch' | 'sfn' | 'kms' | 'secretsmanager';

/** Any of the clients below. */
export type AwsClient = DynamoDBClient | SQSClient | S3Client | BatchClient | SFNClient | KMSClient | SecretsManagerClient;

export interface AwsClientOptions {
  readonly region?: string;
  /**
   * Per-service endpoints (emulators). Unset services use the SDK's own resolution, which also reads
   * AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> from the environment.
   */
  readonly endpoints?: Partial<Record<AwsService, string>>;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Called with every client made, e.g. to add a request-counting middleware (bench/aws-calls.bench.ts). */
  readonly instrument?: (client: AwsClient, service: AwsService) => void;
}

export interface AwsClients {
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly s3: S3Client;
  readonly batch: BatchClient;
  readonly sfn: SFNClient;
  readonly kms: KMSClient;
  readonly secretsManager: SecretsManagerClient;
  destroy(): void;
}

/**
 * The SDK clients one process uses, made once and shared (one keep-alive connection pool per service; making a
 * client opens nothing). The request timeout sits above SQS's 20 s long poll; S3 is path-style when pointed at an
 * emulator and only computes checksums where S3 requires them (emulators reject the SDK's default CRC trailers on
 * some paths).
 */
export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const common = (service: AwsService) => ({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoints?.[service] ? { endpoint: options.endpoints[service] } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  });
  const emulatedS3 = Boolean(options.endpoints?.s3 ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
  const clients = {
    dynamodb: new DynamoDBClient(common('dynamodb')),
    sqs: new SQSClient(common('sqs')),
    s3: new S3Client({
      ...common('s3'),
      forcePathStyle: emulatedS3,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
    batch: new BatchClient(common('batch')),
    sfn: new SFNClient(common('sfn')),
    kms: new KMSClient(common('kms')),
    secretsManager: new SecretsManagerClient(common('secretsmanager')),
  };
  const services: Record<keyof typeof clients, AwsService> = {
    dynamodb: 'dynamodb',
    sqs: 'sqs',
    s3: 's3',
    batch: 'batch',
    sfn: 'sfn',
    kms: 'kms',
    secretsManager: 'secretsmanager',
  };
  for (const [name, client] of Object.entries(clients) as [keyof typeof clients, AwsClient][]) options.instrument?.(client, services[name]);
  return {
    ...clients,
    destroy() {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}
