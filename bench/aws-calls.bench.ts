// Proves one 32-tx block through the AWS adapters on the emulators (LocalStack, DynamoDB Local, the fake Batch API)
// and counts every AWS request per "Service.Operation" with SDK middleware, and DynamoDB write units from
// ReturnConsumedCapacity. Counted: the planner handler, the agents (in this process, three of them) and the driver.
// Not counted: creating the table, queues and bucket, and the provision state's scaling (not per proof).
import { toBlockRunInput } from '../adapters/aws/blockRunInput.js';
import { createDynamoJobStore } from '../adapters/aws/dynamoJobStore.js';
import { systemClock } from '../adapters/embedded/systemClock.js';
import { startAgent } from '../batch-images/agent/startAgent.js';
import { createPlannerHandler } from '../functions/planner/handler.js';
import type { AwsClient, AwsService } from '../runtime/aws/clients.js';
import { startProtocolFixture } from '../l1/testing/protocolFixture.js';
import { startEmulators } from '../test/integration/harness/startEmulators.js';
import { emulatorClients, emulatorEnvironment } from '../test/integration/support/awsTestEnvironment.js';
import { createPipelineEnvironment } from '../test/integration/support/pipelineEnvironment.js';
import { revealedBlock } from '../test/integration/support/revealedBlock.js';
import { serveJsonRpc } from '../test/integration/support/serveJsonRpc.js';
import { writeResult } from './writeResult.js';

const TXS = Number(process.env.BENCH_TXS ?? 32);
const SERVICE_NAMES: Record<AwsService, string> = {
  dynamodb: 'DynamoDB',
  sqs: 'SQS',
  s3: 'S3',
  batch: 'Batch',
  sfn: 'SFN',
  kms: 'KMS',
  secretsmanager: 'SecretsManager',
};
const DYNAMODB_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);

const byOperation: Record<string, number> = {};
let writeUnits = 0;
let failedConditionalWrites = 0;

interface Stack {
  add(middleware: unknown, options: { step: string; name: string; priority?: string }): void;
}
/** Counts each attempt (inside the retry middleware: finalizeRequest, low priority) and asks DynamoDB for consumed capacity. */
function instrument(client: AwsClient, service: AwsService) {
  const stack = client.middlewareStack as unknown as Stack;
  if (service === 'dynamodb') {
    stack.add(
      (next: (args: { input: Record<string, unknown> }) => Promise<unknown>) => (args: { input: Record<string, unknown> }) =>
        next({ ...args, input: { ...args.input, ReturnConsumedCapacity: 'TOTAL' } }),
      { step: 'initialize', name: 'benchConsumedCapacity' },
    );
  }
  stack.add(
    (next: (args: unknown) => Promise<{ output: { ConsumedCapacity?: unknown } }>, context: { commandName: string }) =>
      async (args: unknown) => {
        const operation = context.commandName.replace(/Command$/, '');
        const key = `${SERVICE_NAMES[service]}.${operation}`;
        byOperation[key] = (byOperation[key] ?? 0) + 1;
        try {
          const result = await next(args);
          if (service === 'dynamodb' && DYNAMODB_WRITES.has(operation)) {
            const consumed = result.output.ConsumedCapacity;
            const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as { CapacityUnits?: number }[];
            writeUnits += list.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
          }
          return result;
        } catch (error) {
          // A failed condition is billed like the write (one unit for items under 1 KB); the error carries no figure.
          if (service === 'dynamodb' && (error as Error).name === 'ConditionalCheckFailedException') {
            failedConditionalWrites++;
            writeUnits += 1;
          }
          throw error;
        }
      },
    { step: 'finalizeRequest', name: 'benchCountRequests', priority: 'low' },
  );
}

const emulators = await startEmulators((line) => process.stderr.write(`[aws emulators] ${line}\n`));
try {
  const endpoints = emulators.endpoints;
  const setup = emulatorClients(undefined, endpoints);
  Object.assign(process.env, emulatorEnvironment(endpoints));
  // The test parameters cap bodies at 64 txs; a bigger benchmark block needs the cap raised.
  const [f, pipeline] = await Promise.all([
    startProtocolFixture({ maxTxsPerBlock: Math.max(64, TXS) }),
    createPipelineEnvironment(setup, { maxReceiveCount: 3 }),
  ]);
  const rpc = await serveJsonRpc(f.chain.transport, f.chain.chain);

  const prover = f.wallets[4]!;
  const request = await revealedBlock(f, { txs: TXS, seed: 'aws-calls' });
  const env = {
    ...emulatorEnvironment(endpoints),
    ...pipeline.env,
    L1_RPC_URL: rpc.url,
    L1_CHAIN_ID: String(f.chain.chain.id),
    STATE_ROOT_SOURCE: 'devnet-transition',
    ROLLUP_ADDRESS: f.deployment.rollup,
    PROVER_ID: prover.account.address,
  };

  const started = performance.now();
  const summary = await createPlannerHandler(env, { instrument })(toBlockRunInput(request));
  const { runId } = request;
  // The provision state, uncounted: scaling is per run, not per proof.
  const store = createDynamoJobStore({ client: setup.dynamodb, tableName: pipeline.tableName, clock: systemClock });
  await store.transitionRun(runId, ['planned'], 'proving', { provingStartedAt: Date.now() }, Date.now());

  const stop = new AbortController();
  let proofs = 0;
  const agentEnv = {
    ...env,
    PROVER_BACKEND: 'simulated',
    PROVER_DEV_PRIVATE_KEY: f.chain.accounts[4]!,
    SIMULATED_TIME_SCALE: '0.002',
    AGENT_WAIT_MS: '20000',
    AGENT_IDLE_EXIT_MS: '600000',
    POWERTOOLS_LOG_LEVEL: 'WARN',
  };
  const agents = ['heavy', 'light', 'light'].map((tier, i) =>
    startAgent(
      { ...agentEnv, AGENT_TIER: tier, AGENT_ID: `bench-${tier}-${i}` },
      { signal: stop.signal, clientOptions: { instrument }, onEvent: (event) => void (event.type === 'proved' && proofs++) },
    ),
  );
  for (;;) {
    const run = await store.getRun(runId);
    if (run?.state === 'submitting') break;
    if (run?.state === 'abandoned') throw new Error(`the run was abandoned: ${run.stateReason}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const seconds = (performance.now() - started) / 1000;
  stop.abort(new Error('benchmark over'));
  await Promise.all(agents);
  await rpc.close();
  await pipeline.remove();
  setup.destroy();

  const requests = Object.values(byOperation).reduce((sum, count) => sum + count, 0);
  const sorted = Object.fromEntries(Object.entries(byOperation).sort(([a], [b]) => a.localeCompare(b)));
  writeResult('aws-calls', {
    proofs,
    requestsPerProof: Math.round((requests / proofs) * 100) / 100,
    dynamodbWriteUnitsPerProof: Math.round((writeUnits / proofs) * 100) / 100,
    byOperation: sorted,
    txs: TXS,
    jobs: summary.jobCount,
    requests,
    dynamodbWriteUnits: writeUnits,
    failedConditionalWrites,
    writeUnitsSource: 'ConsumedCapacity reported by DynamoDB Local; failed conditional writes counted as 1 unit each',
    agents: 3,
    seconds: Math.round(seconds * 100) / 100,
    emulators: endpoints.mode,
  });
} finally {
  await emulators.stop();
}
process.exit(0);
