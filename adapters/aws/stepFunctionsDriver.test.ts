import { CreateStateMachineCommand, DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { CreateQueueCommand, DeleteMessageCommand, DeleteQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { keccak256 } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeBlockBodyBytes } from '../../core/body/encodeBlockBody.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import type { BlockRunRequest } from '../../core/ports/blockRunDriver.js';
import { runIdFor } from '../../core/run/runIdFor.js';
import { describeBlockRunDriverContract } from '../../test/contracts/blockRunDriver.contract.js';
import { emulatorClients, uniqueName } from '../../test/integration/support/awsTestEnvironment.js';
import { createPipelineEnvironment, type PipelineEnvironment } from '../../test/integration/support/pipelineEnvironment.js';
import { runDependencies } from '../../test/integration/support/runDependencies.js';
import { fakeRollupChain } from '../../test/support/fakeRollupChain.js';
import { sampleRun } from '../../test/support/sampleRun.js';
import { createStepFunctionsDriver, executionNameFor } from './stepFunctionsDriver.js';

// LocalStack's Step Functions cannot reach DynamoDB Local, so the test machine's one state, the prove state, hands
// its task token to an SQS queue (sqs:sendMessage.waitForTaskToken) and the test plays the task: it takes the token
// of the execution it waits for and records it, as the real prove state's Lambda does. The planner Lambda, which
// writes the run before that state, is played by writing the run record.
const clients = emulatorClients();

interface SfnEnvironment {
  readonly pipeline: PipelineEnvironment;
  readonly stateMachineArn: string;
  readonly tokenQueue: string;
}

let shared: Promise<SfnEnvironment> | undefined;
const environment = () => (shared ??= createSfnEnvironment());
afterAll(async () => {
  if (shared) {
    const { pipeline, tokenQueue } = await shared;
    await clients.sqs.send(new DeleteQueueCommand({ QueueUrl: tokenQueue }));
    await pipeline.remove();
  }
  clients.destroy();
});

async function createSfnEnvironment(): Promise<SfnEnvironment> {
  const pipeline = await createPipelineEnvironment(clients, { maxReceiveCount: 3 });
  const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: uniqueName('task-tokens') }));
  const definition = {
    StartAt: 'Prove',
    States: {
      Prove: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
        Parameters: { QueueUrl, MessageBody: { 'execution.$': '$$.Execution.Name', 'token.$': '$$.Task.Token' } },
        HeartbeatSeconds: 60,
        End: true,
      },
    },
  };
  const created = await clients.sfn.send(
    new CreateStateMachineCommand({ name: uniqueName('block-run'), definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::000000000000:role/block-run' }),
  );
  return { pipeline, stateMachineArn: created.stateMachineArn!, tokenQueue: QueueUrl! };
}

function driverIn({ pipeline, stateMachineArn }: SfnEnvironment) {
  return createStepFunctionsDriver({
    sfn: clients.sfn,
    stateMachineArn,
    secondsPerExpectedSecond: 1,
    deps: runDependencies(clients, pipeline, fakeRollupChain('0x00000000000000000000000000000000000000aa')),
  });
}

let nextBlock = 100n;
/** Artifact digests of the bodies, by run id. */
const bodyDigests = new Map<string, string>();

/** A request for a 2-tx block revealed for the first time; its body is stored, as the watcher stores it. */
async function newRequest({ pipeline }: SfnEnvironment): Promise<BlockRunRequest> {
  const blockNumber = nextBlock++;
  const bytes = encodeBlockBodyBytes(syntheticBlockBody({ txs: 2, publicCalls: { kind: 'fixed', calls: 0 }, seed: uniqueName(`sfn-${blockNumber}`) }));
  const bodyHash = keccak256(bytes);
  bodyDigests.set(runIdFor(blockNumber, bodyHash), await pipeline.artifacts.put(bytes));
  return {
    runId: runIdFor(blockNumber, bodyHash),
    blockNumber,
    slot: blockNumber,
    bodyHash,
    revealedIn: `0x${'ab'.repeat(32)}`,
    txCount: 2,
    parentBlock: blockNumber - 1n,
    revealedAt: 1_700_000_000,
    provingDeadline: 1_700_000_300,
    exclusiveUntil: 1_700_000_100,
    committedProver: '0x0000000000000000000000000000000000000000',
    reason: 'prove-all',
  };
}

/** Waits for the prove state of this reveal's execution to hand over its task token, and takes it off the queue. */
async function takeTaskToken({ tokenQueue }: SfnEnvironment, request: BlockRunRequest): Promise<string> {
  const execution = executionNameFor(request);
  let token = '';
  await expect
    .poll(
      async () => {
        const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: tokenQueue, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        for (const message of Messages) {
          const body = JSON.parse(message.Body!) as { execution: string; token: string };
          if (body.execution !== execution) continue;
          token = body.token;
          await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: tokenQueue, ReceiptHandle: message.ReceiptHandle! }));
        }
        return token;
      },
      { timeout: 15_000 },
    )
    .not.toBe('');
  return token;
}

/** The run record the planner writes for the request, already in its prove state. */
function plannedRun(request: BlockRunRequest) {
  const { runId, blockNumber, slot, bodyHash, revealedIn, txCount, parentBlock, provingDeadline, exclusiveUntil, reason } = request;
  return sampleRun({
    ...{ runId, blockNumber, slot, bodyHash, revealedIn, txCount, parentBlock, provingDeadline, exclusiveUntil, reason },
    bodyDigest: bodyDigests.get(runId)!,
    jobCount: 3,
    state: 'proving',
  });
}

/** Plays the planner (writes the run, or moves a revived one on) and the prove state's task (records the token). */
async function untilProving(env: SfnEnvironment, request: BlockRunRequest): Promise<void> {
  const token = await takeTaskToken(env, request);
  const { store } = env.pipeline;
  const existing = await store.getRun(request.runId);
  if (!existing) {
    await store.createRun(plannedRun(request));
  } else {
    await store.transitionRun(request.runId, ['planned', 'provisioning'], 'proving', {}, Date.now());
  }
  await driverIn(env).recordTaskToken(request.runId, token);
}

async function executionStatus({ stateMachineArn }: SfnEnvironment, request: BlockRunRequest) {
  const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionNameFor(request)}`;
  return clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
}

describeBlockRunDriverContract('AWS (Step Functions on LocalStack)', async () => {
  const env = await environment();
  return {
    driver: driverIn(env),
    store: env.pipeline.store,
    artifacts: env.pipeline.artifacts,
    newRequest: () => newRequest(env),
    untilProving: (request) => untilProving(env, request),
    ended: async (request) => (await executionStatus(env, request)).status !== 'RUNNING',
    async close() {},
  };
});

describe('the Step Functions driver (Step Functions on LocalStack)', () => {
  it('names executions from the run and the reveal, within Step Functions limits', () => {
    const name = executionNameFor({ runId: 'b12-0123456789abcdef', revealedIn: `0x${'a1'.repeat(32)}` });
    expect(name).toBe('b12-0123456789abcdef-a1a1a1a1');
    const long = executionNameFor({ runId: `r/${'x'.repeat(100)}`, revealedIn: `0x${'b2'.repeat(32)}` });
    expect(long).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    expect(long.endsWith('b2b2b2b2')).toBe(true);
  });

  it('reports a second start of the same reveal as a no-op even before the run is planned', async () => {
    const env = await environment();
    const request = await newRequest(env);
    expect(await driverIn(env).start(request)).toBe(true);
    // Same execution name, a new startId in the input: Step Functions says ExecutionAlreadyExists.
    expect(await driverIn(env).start(request)).toBe(false);
    expect(await driverIn(env).start({ ...request, revealedIn: `0x${'ef'.repeat(32)}` })).toBe(true);
  });

  it('fails the task with the reason, and accepts heartbeats while the run waits', async () => {
    const env = await environment();
    const request = await newRequest(env);
    expect(await driverIn(env).start(request)).toBe(true);
    await untilProving(env, request);
    await driverIn(env).heartbeat(request.runId);
    await driverIn(env).fail(request.runId, 'job x (base) failed 3 times: prover crashed');
    await expect.poll(async () => (await executionStatus(env, request)).status, { timeout: 15_000 }).toBe('FAILED');
    expect(await executionStatus(env, request)).toMatchObject({ error: 'RunFailed', cause: 'job x (base) failed 3 times: prover crashed' });
  });

  it('completes the task with the root digest', async () => {
    const env = await environment();
    const request = await newRequest(env);
    expect(await driverIn(env).start(request)).toBe(true);
    await untilProving(env, request);
    await driverIn(env).rootProven(request.runId, `sha256:${'e'.repeat(64)}`);
    await expect.poll(async () => (await executionStatus(env, request)).status, { timeout: 15_000 }).toBe('SUCCEEDED');
    expect(JSON.parse((await executionStatus(env, request)).output!)).toEqual({ runId: request.runId, rootDigest: `sha256:${'e'.repeat(64)}` });
  });

  it('answers a token at once when the root was proven before the prove state began', async () => {
    const env = await environment();
    const request = await newRequest(env);
    expect(await driverIn(env).start(request)).toBe(true);
    await env.pipeline.store.createRun(plannedRun(request));
    await driverIn(env).rootProven(request.runId, `sha256:${'a'.repeat(64)}`);
    await driverIn(env).recordTaskToken(request.runId, await takeTaskToken(env, request));
    await expect.poll(async () => (await executionStatus(env, request)).status, { timeout: 15_000 }).toBe('SUCCEEDED');
  });
});
