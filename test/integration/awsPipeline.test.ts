import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWalletClient, parseEther, type LocalAccount } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKmsAccount } from '../../adapters/aws/kmsAccount.js';
import type { ProvingRun } from '../../core/ports/provingRun.js';
import { ORPHANED_REVEAL } from '../../core/run/reviveRun.js';
import { runIdFor } from '../../core/run/runIdFor.js';
import { createPlannerHandler } from '../../functions/planner/handler.js';
import { createQuoteHandler } from '../../functions/quote/handler.js';
import { createScalerHandler } from '../../functions/scaler/handler.js';
import { createSettlerHandler } from '../../functions/settler/handler.js';
import { createSubmitterHandler } from '../../functions/submitter/handler.js';
import { createWatcherHandler } from '../../functions/watcher/handler.js';
import { depositToEscrow } from '../../l1/escrow/escrowActions.js';
import { createSequencerSimulator, type SequencerSimulator } from '../../l1/sequencer/createSequencerSimulator.js';
import { startProtocolFixture, type ProtocolFixture } from '../../l1/testing/protocolFixture.js';
import { stakeSequencers } from '../../l1/testing/protocolSteps.js';
import { confirmTransaction } from '../../l1/transactions/confirmTransaction.js';
import { forLocalExecution, synthesizedBlockRunDefinition } from '../support/synthesizedBlockRun.js';
import { startFakeBatchApi, type FakeBatchApi, type FakeJob } from './fakes/fakeBatchApi.js';
import { startLocalStepFunctionsApi, type LocalStepFunctionsApi } from './fakes/localStepFunctionsApi.js';
import { spawnAgent, type AgentProcess } from './support/agentProcess.js';
import { emulatorClients, emulatorEnvironment } from './support/awsTestEnvironment.js';
import { createPipelineEnvironment, l1Environment, type PipelineEnvironment } from './support/pipelineEnvironment.js';
import { serveJsonRpc } from './support/serveJsonRpc.js';

/**
 * The whole AWS path on the emulators: L1 (in-process Hardhat, served over JSON-RPC) with the reference contracts
 * and the sequencer simulator; the quote API, watcher, planner, scaler, submitter and settler handlers running for
 * real against LocalStack (SQS, S3, KMS, Secrets Manager) and DynamoDB Local; the CDK-synthesized block-run state
 * machine executed by aws-local-stepfunctions behind a local Step Functions API; agents as separate processes
 * (batch-images/agent/main.ts), started and stopped by the real scaler through a fake Batch API. Signing — quotes,
 * the escrow deposit, submitProof and the development verifier's attestation — is done by a KMS key in LocalStack.
 */
describe('the block run on AWS, end to end on the emulators', () => {
  const clients = emulatorClients();
  let f: ProtocolFixture;
  let pipeline: PipelineEnvironment;
  let rpc: { url: string; close(): Promise<void> };
  let sfn: LocalStepFunctionsApi;
  let batch: FakeBatchApi;
  let quoteServer: Server;
  let sequencers: SequencerSimulator;
  let prover: LocalAccount;
  let keyId: string;
  let handlerEnv: Record<string, string>;
  const agents = new Map<string, AgentProcess>();
  const exited = new Set<string>();
  let agentTimeScale = '0.01';
  /** The first Submit invocation crashes after sending, as a Lambda that dies before returning. */
  let crashNextSubmit = true;
  let schedule: NodeJS.Timeout | undefined;
  const watcherErrors: string[] = [];

  /** What a timed-out wait prints: enough to see where the pipeline stopped. */
  const diagnose = async () =>
    JSON.stringify(
      {
        watcherErrors: watcherErrors.slice(-3),
        starts: sfn.starts,
        executions: [...sfn.executions.values()].map((e) => ({ name: e.name, status: e.status, error: e.error, states: e.states.slice(-8) })),
        runs: (await pipeline.store.listRuns(['planned', 'provisioning', 'proving', 'submitting', 'confirmed', 'settled', 'abandoned'])).map((r) => [
          r.runId,
          r.state,
          r.stateReason,
        ]),
        batch: batch.calls.map((call) => call.operation).join(','),
        agents: [...agents.values()].map((agent) => agent.lines.slice(-3)),
      },
      (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
      1,
    );

  const handlers = () => {
    const clientOptions = { endpoints: { sfn: sfn.url, batch: batch.url } };
    return {
      planner: createPlannerHandler(handlerEnv, clientOptions),
      scaler: createScalerHandler(handlerEnv, clientOptions),
      submitter: createSubmitterHandler(handlerEnv, clientOptions),
      settler: createSettlerHandler(handlerEnv, clientOptions),
      watcher: createWatcherHandler(handlerEnv, clientOptions),
      quote: createQuoteHandler(handlerEnv, clientOptions),
    };
  };
  let lambdas: ReturnType<typeof handlers>;

  const spawnAgentFor = (job: FakeJob) => {
    const tier = job.jobDefinition.includes('heavy') ? 'heavy' : 'light';
    const agent = spawnAgent(`agent-${job.jobId}`, {
      ...emulatorEnvironment(),
      ...pipeline.env,
      AWS_ENDPOINT_URL_SFN: sfn.url,
      STATE_MACHINE_ARN: sfn.stateMachineArn,
      AGENT_TIER: tier,
      PROVER_BACKEND: 'simulated-kms',
      ATTESTER_KMS_KEY_ID: keyId,
      SIMULATED_TIME_SCALE: agentTimeScale,
      AGENT_VISIBILITY_MS: '20000',
      AGENT_HEARTBEAT_MS: '5000',
      AGENT_WAIT_MS: '1000',
      AGENT_IDLE_EXIT_MS: '8000',
      AGENT_RETRY_DELAY_MS: '500',
      AGENT_LEAVE_CHECK_MS: '500',
      AGENT_LEAVE_GRACE_MS: '1000',
      AWS_BATCH_JOB_ID: job.jobId,
    });
    agents.set(job.jobId, agent);
    batch.setStatus(job.jobId, 'RUNNING');
    void agent.exited.then(() => {
      exited.add(job.jobId);
      if (batch.job(job.jobId)?.status === 'RUNNING') batch.setStatus(job.jobId, 'SUCCEEDED');
    });
  };

  async function until<T>(read: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${await diagnose()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** The run of a slot's block, by run id: after a reorg, another block may reuse the block number. */
  const runOf = (block: { blockNumber: bigint; bodyHash: `0x${string}` }) => async (): Promise<ProvingRun | undefined> =>
    (await pipeline.store.getRun(runIdFor(block.blockNumber, block.bodyHash))) ?? undefined;

  /** L1 keeps producing blocks, and EventBridge invokes the watcher: twice at once, to prove a duplicate tick is harmless. */
  const startSchedule = () => {
    let busy = false;
    schedule = setInterval(() => {
      if (busy) return;
      busy = true;
      void (async () => {
        await f.testClient.mine({ blocks: 1 });
        await Promise.all([lambdas.watcher(), lambdas.watcher()]);
      })()
        .catch((error: unknown) => watcherErrors.push(error instanceof Error ? (error.stack ?? error.message) : String(error)))
        .finally(() => (busy = false));
    }, 750);
  };

  beforeAll(async () => {
    Object.assign(process.env, emulatorEnvironment());
    [f, pipeline] = await Promise.all([startProtocolFixture(), createPipelineEnvironment(clients, { maxReceiveCount: 6 })]);
    rpc = await serveJsonRpc(f.chain.transport, f.chain.chain);
    const key = await clients.kms.send(new CreateKeyCommand({ KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY', Description: 'prover id (test)' }));
    keyId = key.KeyMetadata!.KeyId!;
    prover = await createKmsAccount({ client: clients.kms, keyId });
    await confirmTransaction(f.publicClient, 'fund the prover', f.wallets[0]!.sendTransaction({ to: prover.address, value: parseEther('100') }));
    const proverWallet = createWalletClient({ account: prover, chain: f.chain.chain, transport: f.chain.transport });
    await depositToEscrow(proverWallet, f.deployment.escrow, parseEther('10'));

    batch = await startFakeBatchApi({ onSubmit: spawnAgentFor, onStop: (job) => agents.get(job.jobId)?.kill('SIGTERM') });
    const definition = forLocalExecution(synthesizedBlockRunDefinition());
    sfn = await startLocalStepFunctionsApi({
      definition,
      waitTimeOverrides: { WaitBeforeRescale: 1_000, WaitBeforeSubmitting: 1_000 },
      retryIntervalOverrides: { Submit: 200 },
      taskHandlers: {
        Plan: (input) => lambdas.planner(input),
        Provision: (input) => lambdas.scaler(input),
        ReprovisionForRoot: (input) => lambdas.scaler(input),
        Rescale: (input) => lambdas.scaler(input),
        AwaitRootProof: async (input) => {
          const { Payload } = input as { Payload: { taskToken: string } };
          await lambdas.scaler(Payload);
          return sfn.waitForToken(Payload.taskToken);
        },
        Submit: async (input) => {
          const outcome = await lambdas.submitter(input);
          if (crashNextSubmit && outcome.kind === 'sent') {
            crashNextSubmit = false;
            throw new Error('the submitter crashed after sending');
          }
          return outcome;
        },
        Confirm: (input) => lambdas.submitter(input),
        Settle: (input) => lambdas.settler(input),
        Abandon: (input) => lambdas.settler(input),
      },
    });
    handlerEnv = {
      ...emulatorEnvironment(),
      ...pipeline.env,
      ...l1Environment(f, rpc.url, prover.address),
      SIGNER_KMS_KEY_ID: keyId,
      STATE_MACHINE_ARN: sfn.stateMachineArn,
      L1_START_BLOCK: String(f.deployment.deploymentBlock),
      L1_CONFIRMATIONS: '1',
      WATCH_SECONDS: '0',
      PROVING_MODE: 'committed',
      EXPECTED_SECOND_SCALE: '0.01',
      MAX_HEAVY_AGENTS: '2',
      MAX_LIGHT_AGENTS: '2',
      URGENT_SLACK_SECONDS: '0',
    };
    lambdas = handlers();
    quoteServer = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        void lambdas
          .quote({
            rawPath: request.url ?? '',
            headers: { 'content-type': request.headers['content-type'] },
            body: Buffer.concat(chunks).toString(),
            requestContext: { http: { method: request.method ?? '' } },
          })
          .then((answer) => {
            response.writeHead(answer.statusCode, answer.headers);
            response.end(answer.body);
          });
      });
    });
    await new Promise<void>((resolve) => quoteServer.listen(0, '127.0.0.1', resolve));
    sequencers = createSequencerSimulator({
      publicClient: f.publicClient,
      sequencers: [f.wallets[1]!],
      rollup: f.deployment.rollup,
      txsPerBlock: 16,
      publicCalls: '1',
      quoteEndpoints: [`http://127.0.0.1:${(quoteServer.address() as AddressInfo).port}`],
      log: () => undefined,
    });
    await stakeSequencers(f, [f.wallets[1]!]);
    startSchedule();
  }, 180_000);

  afterAll(async () => {
    clearInterval(schedule);
    for (const agent of agents.values()) agent.kill('SIGKILL');
    quoteServer?.close();
    await sfn?.close();
    await batch?.close();
    await rpc?.close();
    await pipeline?.remove();
    clients.destroy();
  });

  it('proves a block committed to us: quoted and KMS-signed, planned, proven by Batch agents, submitted once, settled', async () => {
    const nonceBefore = await f.publicClient.getTransactionCount({ address: prover.address });
    const report = await sequencers.runSlot(1n, { advanceTo: f.advanceTo });
    expect(report.commitment?.proverId).toBe(prover.address);
    const blockNumber = report.block!.blockNumber;

    const run = await until(async () => {
      const found = await runOf(report.block!)();
      return found?.state === 'settled' || found?.state === 'abandoned' ? found : undefined;
    }, 150_000, `block ${blockNumber} to settle`);
    expect(run).toMatchObject({ state: 'settled', proverId: prover.address, reason: 'committed' });

    const state = await f.rollupChain(f.wallets[0]!).blockState(blockNumber);
    expect([state.status, state.provenBy]).toEqual(['proven', prover.address]);
    // The crashed Submit was retried, found the proof already sent, and confirmed it: one transaction, not two.
    expect((await f.publicClient.getTransactionCount({ address: prover.address })) - nonceBefore).toBe(1);
    expect(crashNextSubmit).toBe(false);

    const execution = [...sfn.executions.values()].find((e) => (e.input as { runId: string }).runId === run.runId)!;
    await execution.done;
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states).toEqual(expect.arrayContaining(['Plan', 'Provision', 'Prove', 'AwaitRootProof', 'Submit', 'Confirm', 'Settle', 'Settled']));
    // Every tick ran twice; only one execution was ever accepted for the block.
    const starts = sfn.starts.filter((start) => start.name.startsWith(run.runId));
    expect(starts.filter((start) => start.accepted)).toHaveLength(1);
    expect(batch.calls.some((call) => call.operation === 'submitjob')).toBe(true);
  }, 200_000);

  it('stops the run of a reveal that an L1 reorg orphans mid-run', async () => {
    const snapshot = await f.testClient.snapshot();
    const report = await sequencers.runSlot(2n, { advanceTo: f.advanceTo });
    const blockNumber = report.block!.blockNumber;
    const proving = await until(async () => {
      const found = await runOf(report.block!)();
      return found && ['proving', 'submitting'].includes(found.state) ? found : undefined;
    }, 60_000, `block ${blockNumber} to be proving`);
    clearInterval(schedule);
    await f.testClient.revert({ id: snapshot });
    await f.testClient.mine({ blocks: 3 });
    startSchedule();
    const stopped = await until(async () => {
      const found = await runOf(report.block!)();
      return found?.state === 'abandoned' ? found : undefined;
    }, 60_000, 'the orphaned run to stop');
    expect(stopped.runId).toBe(proving.runId);
    expect(stopped.stateReason).toBe(ORPHANED_REVEAL);
    const execution = [...sfn.executions.values()].find((e) => (e.input as { runId: string }).runId === stopped.runId)!;
    await execution.done;
    expect(execution.states).toContain('Abandon');
    expect(execution.states).not.toContain('Submit');
  }, 150_000);

  it('abandons a run whose deadline passes, records why, and its agents leave with no Batch call', async () => {
    for (const agent of agents.values()) agent.kill('SIGTERM');
    agentTimeScale = '2';
    const report = await sequencers.runSlot(3n, { advanceTo: f.advanceTo });
    await until(async () => ((await runOf(report.block!)())?.state === 'proving' ? true : undefined), 60_000, 'proving');
    const terminationsBefore = batch.calls.filter((call) => call.operation === 'terminatejob' || call.operation === 'canceljob').length;
    await f.advanceTo(report.block!.provingDeadline + 1);
    const run = await until(async () => {
      const found = await runOf(report.block!)();
      return found?.state === 'abandoned' ? found : undefined;
    }, 60_000, 'the run to be abandoned');
    expect(run.stateReason).toBe('the proving deadline passed before the root proof was ready');
    await until(() => (exited.size === agents.size ? true : undefined), 60_000, 'every agent process to exit');
    // Scaling down is the agents' own doing: the zero target makes them leave, nobody is terminated or cancelled.
    const stops = batch.calls.filter((call) => call.operation === 'terminatejob' || call.operation === 'canceljob').length;
    expect(stops - terminationsBefore).toBe(0);
  }, 150_000);
});
