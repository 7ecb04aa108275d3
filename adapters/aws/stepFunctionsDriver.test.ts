import { CreateStateMachineCommand, DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { keccak256 } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBlockBodyBytes } from '../../core/body/encodeBlockBody.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import type { BlockRunRequest } from '../../core/ports/blockRunDriver.js';
import { ORPHANED_REVEAL } from '../../core/run/reviveRun.js';
import { runIdFor } from '../../core/run/runIdFor.js';
import { emulatorClients, uniqueName } from '../../test/integration/support/awsTestEnvironment.js';
import { createPipelineEnvironment, type PipelineEnvironment } from '../../test/integration/support/pipelineEnvironment.js';
import { runDependencies } from '../../test/integration/support/runDependencies.js';
import { fakeRollupChain } from '../../test/support/fakeRollupChain.js';
import { sampleRun } from '../../test/support/sampleRun.js';
import { createStepFunctionsDriver, executionNameFor } from './stepFunctionsDriver.js';

// LocalStack's Step Functions cannot reach DynamoDB Local, so the test machine's prove state hands its task token to
// an SQS queue (sqs:sendMessage.waitForTaskToken) and the test plays the task: it reads the token and records it.
describe('the Step Functions driver (Step Functions on LocalStack)', () => {
  const clients = emulatorClients();
  let pipeline: PipelineEnvironment;
  let stateMachineArn: string;
  let tokenQueue: string;

  beforeAll(async () => {
    pipeline = await createPipelineEnvironment(clients, { maxReceiveCount: 3 });
    tokenQueue = pipeline.queues.light.url;
    const definition = {
      StartAt: 'Prove',
      States: {
        Prove: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Parameters: { QueueUrl: tokenQueue, MessageBody: { 'runId.$': '$.runId', 'token.$': '$$.Task.Token' } },
          HeartbeatSeconds: 60,
          End: true,
        },
      },
    };
    const created = await clients.sfn.send(
      new CreateStateMachineCommand({
        name: uniqueName('block-run'),
        definition: JSON.stringify(definition),
        roleArn: 'arn:aws:iam::000000000000:role/block-run',
      }),
    );
    stateMachineArn = created.stateMachineArn!;
  });
  afterAll(async () => {
    await pipeline.remove();
    clients.destroy();
  });

  const driver = () =>
    createStepFunctionsDriver({ sfn: clients.sfn, stateMachineArn, deps: runDependencies(clients, pipeline, fakeRollupChain('0x00000000000000000000000000000000000000aa')) });

  async function requestFor(blockNumber: bigint): Promise<BlockRunRequest> {
    const bytes = encodeBlockBodyBytes(syntheticBlockBody({ txs: 2, publicCalls: { kind: 'fixed', calls: 0 }, seed: `sfn-${blockNumber}-${Date.now()}` }));
    const bodyHash = keccak256(bytes);
    const runId = runIdFor(blockNumber, bodyHash);
    const bodyDigest = await pipeline.artifacts.put(bytes);
    await pipeline.store.createRun(sampleRun({ runId, blockNumber, bodyHash, bodyDigest, txCount: 2, jobCount: 3, state: 'proving' }));
    return {
      runId,
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

  /** Starts an execution for a request whose run is not active yet, and plays the prove state's task. */
  async function startAndRecordToken(request: BlockRunRequest) {
    await pipeline.store.transitionRun(request.runId, ['proving'], 'abandoned', { stateReason: `${ORPHANED_REVEAL} (test)` }, Date.now());
    expect(await driver().start({ ...request, revealedIn: `0x${'cd'.repeat(32)}` })).toBe(true);
    expect((await pipeline.store.getRun(request.runId))?.state).toBe('planned');
    let token = '';
    await expect
      .poll(
        async () => {
          const { Messages } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: tokenQueue, WaitTimeSeconds: 1 }));
          const body = Messages?.map((message) => JSON.parse(message.Body!) as { runId: string; token: string }).find((m) => m.runId === request.runId);
          token = body?.token ?? token;
          return token;
        },
        { timeout: 15_000 },
      )
      .not.toBe('');
    await pipeline.store.transitionRun(request.runId, ['planned'], 'proving', {}, Date.now());
    await driver().recordTaskToken(request.runId, token);
    return executionArnOf(executionNameFor({ ...request, revealedIn: `0x${'cd'.repeat(32)}` }));
  }

  async function executionArnOf(name: string) {
    const { executions } = await clients.sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    return executions!.find((execution) => execution.name === name)!.executionArn!;
  }
  const statusOf = async (executionArn: string) => clients.sfn.send(new DescribeExecutionCommand({ executionArn }));

  it('names executions from the run and the reveal, within Step Functions limits', () => {
    const name = executionNameFor({ runId: 'b12-0123456789abcdef', revealedIn: `0x${'a1'.repeat(32)}` });
    expect(name).toBe('b12-0123456789abcdef-a1a1a1a1');
    const long = executionNameFor({ runId: `r/${'x'.repeat(100)}`, revealedIn: `0x${'b2'.repeat(32)}` });
    expect(long).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    expect(long.endsWith('b2b2b2b2')).toBe(true);
  });

  it('refuses to start a run that is already active, and a duplicate start of the same reveal', async () => {
    const request = await requestFor(11n);
    expect(await driver().start(request)).toBe(false);
    await pipeline.store.transitionRun(request.runId, ['proving'], 'abandoned', { stateReason: `${ORPHANED_REVEAL} (test)` }, Date.now());
    const first = driver().start(request);
    const second = driver().start(request);
    const outcomes = await Promise.all([first, second]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await driver().start(request)).toBe(false);
  });

  it('reports a second start of the same reveal as a no-op even before the run is planned', async () => {
    const request = { ...(await requestFor(15n)), runId: uniqueName('unplanned') };
    expect(await driver().start(request)).toBe(true);
    // Same execution name, a new startId in the input: Step Functions says ExecutionAlreadyExists.
    expect(await driver().start(request)).toBe(false);
    expect(await driver().start({ ...request, revealedIn: `0x${'ef'.repeat(32)}` })).toBe(true);
  });

  it('revives a run abandoned for an orphaned reveal and completes its task with the root digest', async () => {
    const request = await requestFor(12n);
    const executionArn = await startAndRecordToken(request);
    await driver().rootProven(request.runId, `sha256:${'e'.repeat(64)}`);
    await expect.poll(async () => (await statusOf(executionArn)).status, { timeout: 15_000 }).toBe('SUCCEEDED');
    expect(JSON.parse((await statusOf(executionArn)).output!)).toEqual({ runId: request.runId, rootDigest: `sha256:${'e'.repeat(64)}` });
    expect(await pipeline.store.getRun(request.runId)).toMatchObject({ state: 'submitting', rootDigest: `sha256:${'e'.repeat(64)}` });
    // A repeat (a redelivered root) neither fails nor changes anything.
    await driver().rootProven(request.runId, `sha256:${'f'.repeat(64)}`);
    expect((await pipeline.store.getRun(request.runId))?.rootDigest).toBe(`sha256:${'e'.repeat(64)}`);
  });

  it('fails the task with the reason when the run fails, and accepts heartbeats while it waits', async () => {
    const request = await requestFor(13n);
    const executionArn = await startAndRecordToken(request);
    await driver().heartbeat(request.runId);
    await driver().fail(request.runId, 'job x (base) failed 3 times: prover crashed');
    await expect.poll(async () => (await statusOf(executionArn)).status, { timeout: 15_000 }).toBe('FAILED');
    expect(await statusOf(executionArn)).toMatchObject({ error: 'RunFailed', cause: 'job x (base) failed 3 times: prover crashed' });
    expect(await pipeline.store.getRun(request.runId)).toMatchObject({ state: 'abandoned', stateReason: 'job x (base) failed 3 times: prover crashed' });
  });

  it('answers a token at once when the root was proven before the prove state began', async () => {
    const request = await requestFor(14n);
    await pipeline.store.transitionRun(request.runId, ['proving'], 'abandoned', { stateReason: `${ORPHANED_REVEAL} (test)` }, Date.now());
    expect(await driver().start({ ...request, revealedIn: `0x${'cd'.repeat(32)}` })).toBe(true);
    await pipeline.store.transitionRun(request.runId, ['planned'], 'proving', {}, Date.now());
    await driver().rootProven(request.runId, `sha256:${'a'.repeat(64)}`);
    let token = '';
    await expect
      .poll(async () => {
        const { Messages } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: tokenQueue, WaitTimeSeconds: 1 }));
        token = Messages?.map((m) => JSON.parse(m.Body!) as { runId: string; token: string }).find((m) => m.runId === request.runId)?.token ?? token;
        return token;
      }, { timeout: 15_000 })
      .not.toBe('');
    await driver().recordTaskToken(request.runId, token);
    const executionArn = await executionArnOf(executionNameFor({ ...request, revealedIn: `0x${'cd'.repeat(32)}` }));
    await expect.poll(async () => (await statusOf(executionArn)).status, { timeout: 15_000 }).toBe('SUCCEEDED');
  });
});
