import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeBatchApi } from '../fakes/fakeBatchApi.js';
import { ensureLocalStackVenv } from './localstackVenv.js';
import { freePort, startProcessGroup, waitUntil, type ProcessGroup } from './processGroup.js';

/** Where the suites find the emulated AWS; every endpoint is on 127.0.0.1. */
export interface EmulatorEndpoints {
  /** LocalStack: SQS, S3, KMS, Step Functions, Secrets Manager. */
  readonly localstack: string;
  /** DynamoDB Local (AWS's own emulator). */
  readonly dynamodb: string;
  /** The fake Batch API (test/integration/fakes/fakeBatchApi.ts). */
  readonly batch: string;
  readonly region: string;
  /** How LocalStack was provided: `endpoint` (AWS_ENDPOINT_URL), `docker` (Testcontainers) or `host` (the venv). */
  readonly mode: 'endpoint' | 'docker' | 'host';
}

export interface RunningEmulators {
  readonly endpoints: EmulatorEndpoints;
  stop(): Promise<void>;
}

export const REGION = 'us-east-1';
const SERVICES = ['sqs', 's3', 'kms', 'stepfunctions', 'secretsmanager'];
const ROOT = join(import.meta.dirname, '..', '..', '..');
const DYNAMODB_LOCAL = join(ROOT, 'node_modules', 'amplify-dynamodb-simulator', 'emulator');

/**
 * Starts what the integration suites and the AWS benchmark need, in this order of preference for LocalStack:
 * AWS_ENDPOINT_URL / LOCALSTACK_ENDPOINT (an existing LocalStack), a Docker engine (Testcontainers), or LocalStack's
 * runtime on this host from a project-local venv. DynamoDB is AWS's DynamoDB Local jar (from the
 * amplify-dynamodb-simulator package) unless AWS_ENDPOINT_URL_DYNAMODB names one. The fake Batch API always runs here.
 */
export async function startEmulators(log: (line: string) => void = () => undefined): Promise<RunningEmulators> {
  const work = mkdtempSync(join(tmpdir(), 'pb-emulators-'));
  const stops: (() => Promise<void>)[] = [];
  try {
    const batch = await startFakeBatchApi();
    stops.push(() => batch.close());

    const given = process.env.AWS_ENDPOINT_URL ?? process.env.LOCALSTACK_ENDPOINT;
    let localstack: { url: string; mode: EmulatorEndpoints['mode'] };
    let logTail = () => '';
    if (given) {
      localstack = { url: given.replace(/\/$/, ''), mode: 'endpoint' };
      log(`using LocalStack at ${localstack.url}`);
    } else if (dockerAnswers()) {
      const container = await startLocalStackContainer();
      stops.push(container.stop);
      localstack = { url: container.url, mode: 'docker' };
    } else {
      const python = await ensureLocalStackVenv(ROOT, log);
      const started = await startLocalStackOnHost(python, work);
      stops.push(() => started.group.stop());
      logTail = () => started.group.tail();
      localstack = { url: started.url, mode: 'host' };
    }

    let dynamodb = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? (localstack.mode === 'endpoint' ? localstack.url : '');
    if (!dynamodb) {
      const started = await startDynamoDbLocal(work);
      stops.push(() => started.group.stop());
      dynamodb = started.url;
    }
    await waitForLocalStack(localstack.url, logTail);
    return {
      endpoints: { localstack: localstack.url, dynamodb, batch: batch.url, region: REGION, mode: localstack.mode },
      async stop() {
        await Promise.all(stops.map((stop) => stop().catch(() => undefined)));
        rmSync(work, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(stops.map((stop) => stop().catch(() => undefined)));
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
}

function dockerAnswers(): boolean {
  const probe = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5_000 });
  return probe.status === 0 && probe.stdout.toString().trim() !== '';
}

async function startLocalStackContainer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const { LocalstackContainer } = await import('@testcontainers/localstack');
  const container = await new LocalstackContainer('localstack/localstack:4.8.1')
    .withEnvironment({ SERVICES: SERVICES.join(','), SQS_ENDPOINT_STRATEGY: 'path', DISABLE_EVENTS: '1' })
    .start();
  return { url: container.getConnectionUri(), stop: async () => void (await container.stop()) };
}

/**
 * LocalStack's runtime as a host process, offline: hypercorn as the gateway server (the default twisted server binds
 * every interface), no DNS server, no analytics, no certificate download, path-style SQS queue URLs on 127.0.0.1,
 * and its own temporary directory (host mode otherwise shares /tmp/localstack between concurrent runs).
 */
async function startLocalStackOnHost(python: string, work: string): Promise<{ url: string; group: ProcessGroup }> {
  const port = await freePort();
  const home = join(work, 'localstack');
  const group = startProcessGroup('localstack', python, ['-m', 'localstack.runtime.main'], {
    logFile: join(work, 'localstack.log'),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: home,
      LOCALSTACK_VOLUME_DIR: join(home, 'volume'),
      GATEWAY_LISTEN: `127.0.0.1:${port}`,
      GATEWAY_SERVER: 'hypercorn',
      LOCALSTACK_HOST: `127.0.0.1:${port}`,
      SERVICES: SERVICES.join(','),
      EAGER_SERVICE_LOADING: '1',
      SQS_ENDPOINT_STRATEGY: 'path',
      DNS_ADDRESS: '0',
      DISABLE_EVENTS: '1',
      SKIP_SSL_CERT_DOWNLOAD: '1',
      SKIP_INFRA_DOWNLOADS: '1',
      PERSISTENCE: '0',
    },
  });
  return { url: `http://127.0.0.1:${port}`, group };
}

async function startDynamoDbLocal(work: string): Promise<{ url: string; group: ProcessGroup }> {
  if (!existsSync(join(DYNAMODB_LOCAL, 'DynamoDBLocal.jar'))) {
    throw new Error(`DynamoDB Local is missing at ${DYNAMODB_LOCAL}: run npm ci (amplify-dynamodb-simulator ships it)`);
  }
  const port = await freePort();
  const group = startProcessGroup(
    'dynamodb-local',
    'java',
    [
      `-Djava.library.path=${join(DYNAMODB_LOCAL, 'DynamoDBLocal_lib')}`,
      '-Xmx512m',
      '-jar',
      join(DYNAMODB_LOCAL, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    // Run from the temporary directory: DynamoDB Local writes a metadata file into its working directory.
    { logFile: join(work, 'dynamodb-local.log'), env: process.env, cwd: work },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    async () => (await httpStatus(url, 'POST', { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' }, '{}')) > 0,
    60_000,
    () => `DynamoDB Local did not answer on ${url}:\n${group.tail()}`,
  );
  return { url, group };
}

async function waitForLocalStack(url: string, logTail: () => string): Promise<void> {
  await waitUntil(
    async () => {
      const body = await httpBody(`${url}/_localstack/health`);
      const services = (JSON.parse(body) as { services?: Record<string, string> }).services ?? {};
      return SERVICES.every((service) => services[service] === 'available' || services[service] === 'running');
    },
    120_000,
    () => `LocalStack at ${url} did not report ${SERVICES.join(', ')} available within 2 minutes:\n${logTail()}`,
  );
}

function httpStatus(url: string, method: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

function httpBody(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: 2_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(Buffer.concat(chunks).toString()));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}
