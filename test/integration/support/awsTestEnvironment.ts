import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createAwsClients, type AwsClientOptions, type AwsClients } from '../../../runtime/aws/clients.js';
import type { EmulatorEndpoints } from '../harness/startEmulators.js';

/** Emulators' dummy credentials: LocalStack and DynamoDB Local accept any. */
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/** The endpoints the integration project's globalSetup started. */
export function emulators(): EmulatorEndpoints {
  return inject('awsEmulators');
}

/** SDK clients pointed at the emulators. */
export function emulatorClients(instrument?: AwsClientOptions['instrument'], endpoints: EmulatorEndpoints = emulators()): AwsClients {
  const { localstack, dynamodb, batch, region } = endpoints;
  return createAwsClients({
    region,
    credentials: TEST_CREDENTIALS,
    endpoints: { dynamodb, batch, sqs: localstack, s3: localstack, sfn: localstack, kms: localstack, secretsmanager: localstack },
    ...(instrument ? { instrument } : {}),
  });
}

/** The environment a process (an agent, a handler) needs to reach the emulators through the SDK's own resolution. */
export function emulatorEnvironment(endpoints: EmulatorEndpoints = emulators()): Record<string, string> {
  return {
    AWS_REGION: endpoints.region,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL: endpoints.localstack,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_BATCH: endpoints.batch,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** A name no other test (or concurrent test run) uses: lowercase, S3-safe. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
