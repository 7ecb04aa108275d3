import { PutObjectCommand } from '@aws-sdk/client-s3';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStepFunctionsDriver } from '../../adapters/aws/stepFunctionsDriver.js';
import { systemClock } from '../../adapters/embedded/systemClock.js';
import { createSimulatedProver } from '../../adapters/provers/simulatedProver.js';
import { DEFAULT_AGENT_SETTINGS, type AgentSettings } from '../../core/agent/agentSettings.js';
import type { AgentEvent } from '../../core/agent/handleDelivery.js';
import { runAgent } from '../../core/agent/runAgent.js';
import { encodeBlockBodyBytes } from '../../core/body/encodeBlockBody.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { depsOf, jobAt, jobIdAt } from '../../core/plan/jobAt.js';
import { planBlock } from '../../core/plan/planBlock.js';
import { rfp2023 } from '../../core/profiles/rfp2023.js';
import { silentLogger } from '../../core/ports/logger.js';
import type { ProverBackend } from '../../core/ports/proverBackend.js';
import type { Tier } from '../../core/tiers.js';
import type { WorkQueue } from '../../core/ports/workQueue.js';
import { jobMessage } from '../../core/jobs/jobMessage.js';
import { enqueueReadyLeaves } from '../../core/jobs/enqueueReadyJobs.js';
import { fakeRollupChain } from '../support/fakeRollupChain.js';
import { sampleRun } from '../support/sampleRun.js';
import { spawnAgent, type AgentProcess } from './support/agentProcess.js';
import { emulatorClients, emulatorEnvironment, uniqueName } from './support/awsTestEnvironment.js';
import { createPipelineEnvironment, type PipelineEnvironment } from './support/pipelineEnvironment.js';
import { runDependencies } from './support/runDependencies.js';
import { runDue } from '../../core/jobs/urgency.js';

const PROVER_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const attester = privateKeyToAccount(PROVER_KEY);
const MAX_FAILURES = 3;
/** As AgentSettings.maxFailures says: the receive after the last failure moves the message to the dead letters. */
const MAX_RECEIVE_COUNT = MAX_FAILURES;
const SETTINGS: AgentSettings = {
  ...DEFAULT_AGENT_SETTINGS,
  visibilityMs: 3_000,
  heartbeatMs: 1_000,
  waitMs: 1_000,
  idleExitMs: 120_000,
  maxFailures: MAX_FAILURES,
  retryDelayMs: 100,
};

describe('agent faults on the AWS adapters', () => {
  const clients = emulatorClients();
  let pipeline: PipelineEnvironment;
  const processes: AgentProcess[] = [];

  beforeAll(async () => {
    pipeline = await createPipelineEnvironment(clients, { maxReceiveCount: MAX_RECEIVE_COUNT });
  });
  afterEach(() => {
    // A failed test must not leave an agent process taking the next test's jobs.
    for (const agent of processes.splice(0)) agent.kill('SIGKILL');
  });
  afterAll(async () => {
    await pipeline?.remove();
    clients.destroy();
  });

  /** A run recorded as proving, its body stored and its leaves enqueued, as the plan and provision states leave it. */
  async function seedRun(txs: number, publicCalls: number) {
    const body = syntheticBlockBody({ txs, publicCalls: { kind: 'fixed', calls: publicCalls }, seed: uniqueName('faults') });
    const runId = uniqueName('run');
    const plan = planBlock(body, rfp2023, { blockId: runId, trusted: true });
    const bodyDigest = await pipeline.artifacts.put(encodeBlockBodyBytes(body));
    await pipeline.store.createRun(
      sampleRun({ runId, bodyDigest, txCount: txs, jobCount: plan.size, state: 'proving', proverId: attester.address }),
    );
    return { runId, plan };
  }

  /** The core agent loop in this process, on the AWS adapters. */
  function agentInProcess(tier: Tier, backend: ProverBackend, queue: WorkQueue = pipeline.queue) {
    const stop = new AbortController();
    const events: AgentEvent[] = [];
    const deps = runDependencies(clients, pipeline, fakeRollupChain(attester.address));
    const done = runAgent(
      {
        tier,
        agentId: uniqueName(tier),
        store: pipeline.store,
        queue,
        artifacts: pipeline.artifacts,
        backend,
        clock: systemClock,
        runs: deps.runs,
        driver: createStepFunctionsDriver({ sfn: clients.sfn, deps, secondsPerExpectedSecond: 1 }),
        targets: deps.targets,
        log: silentLogger,
        onEvent: (event) => events.push(event),
      },
      SETTINGS,
      stop.signal,
    );
    return { events, done, stop: () => stop.abort(new Error('test over')) };
  }
  const prover = (timeScale = 0.001) => createSimulatedProver({ clock: systemClock, timeScale, attester });
  const stateOf = async (runId: string) => (await pipeline.store.getRun(runId))?.state;
  const completionsOf = (events: readonly AgentEvent[]) => {
    const counts = new Map<string, number>();
    for (const event of events) if (event.type === 'proved' && event.first) counts.set(event.jobId, (counts.get(event.jobId) ?? 0) + 1);
    return counts;
  };

  it('redelivers the job of an agent killed mid-proof after the visibility timeout, and proves it once', async () => {
    const { runId, plan } = await seedRun(2, 0);
    await enqueueReadyLeaves(pipeline.queue, plan, runDue(sampleRun(), 1));
    const env = {
      ...emulatorEnvironment(),
      ...pipeline.env,
      AGENT_TIER: 'light',
      PROVER_BACKEND: 'simulated',
      PROVER_DEV_PRIVATE_KEY: PROVER_KEY,
      // A 30 s job takes 1.5 s: long enough to be killed in the middle.
      SIMULATED_TIME_SCALE: '0.05',
      AGENT_VISIBILITY_MS: '3000',
      AGENT_HEARTBEAT_MS: '1000',
      AGENT_WAIT_MS: '1000',
      AGENT_IDLE_EXIT_MS: '3000',
      AGENT_RUN_CACHE_MS: '1000',
    };
    const doomed = spawnAgent('doomed', env);
    processes.push(doomed);
    const started = await doomed.waitForEvent((event) => event.type === 'proving', 60_000);
    doomed.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await doomed.exited).toBeNull();

    const survivor = spawnAgent('survivor', env);
    processes.push(survivor);
    await expect.poll(() => stateOf(runId), { timeout: 60_000, interval: 300 }).toBe('submitting');
    // The killed agent's lease and message had to time out first.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(2_000);
    // Once idle the survivor exits, and every event it logged has been read.
    expect(await survivor.exited).toBe(0);
    expect(survivor.events).toContainEqual(expect.objectContaining({ type: 'proved', jobId: started.jobId, first: true }));
    const completions = completionsOf([...doomed.events, ...survivor.events]);
    expect(completions.size).toBe(plan.size);
    expect([...completions.values()].every((count) => count === 1)).toBe(true);
  });

  it('proves a duplicated delivery once and releases its parent once', async () => {
    const { runId, plan } = await seedRun(4, 0);
    await enqueueReadyLeaves(pipeline.queue, plan, runDue(sampleRun(), 1));
    const leaf = jobMessage(plan, 0, runDue(sampleRun(), 1));
    await pipeline.queue.send(leaf.tier, [leaf.message]);
    const sends = new Map<string, number>();
    const counting: WorkQueue = {
      ...pipeline.queue,
      async send(tier, messages) {
        for (const message of messages) sends.set(message.jobId, (sends.get(message.jobId) ?? 0) + 1);
        return pipeline.queue.send(tier, messages);
      },
    };
    const agents = [agentInProcess('light', prover(), counting), agentInProcess('light', prover(), counting)];
    await expect.poll(() => stateOf(runId), { timeout: 60_000, interval: 300 }).toBe('submitting');
    for (const agent of agents) agent.stop();
    await Promise.all(agents.map((agent) => agent.done));

    const events = agents.flatMap((agent) => agent.events);
    const completions = completionsOf(events);
    expect(completions.size).toBe(plan.size);
    expect([...completions.values()].every((count) => count === 1)).toBe(true);
    expect(events.filter((event) => event.type === 'skipped' && event.jobId === leaf.message.jobId).length).toBeGreaterThanOrEqual(1);
    const parentId = jobIdAt(plan, plan.parents[0]!);
    expect(sends.get(parentId)).toBe(1);
  });

  it('detects a corrupted artifact by its digest, proves it again and never uses the corrupt bytes', async () => {
    const { runId, plan } = await seedRun(2, 1);
    await enqueueReadyLeaves(pipeline.queue, plan, runDue(sampleRun(), 1));
    const vmIndex = 0;
    const vmId = jobIdAt(plan, vmIndex);
    const kernelIndex = plan.parents[vmIndex]!;

    // The heavy tier proves both VM proofs; nobody consumes them yet.
    const heavy = agentInProcess('heavy', prover());
    await expect.poll(() => heavy.events.filter((event) => event.type === 'proved').length, { timeout: 30_000 }).toBe(2);
    const original = (await pipeline.store.getJob(runId, vmId))!.digest;
    const trueProof = await pipeline.artifacts.get(original);
    await clients.s3.send(
      new PutObjectCommand({ Bucket: pipeline.bucket, Key: pipeline.artifacts.keyOf(original), Body: new TextEncoder().encode('not a proof') }),
    );

    const light = agentInProcess('light', prover());
    await expect.poll(() => stateOf(runId), { timeout: 60_000, interval: 300 }).toBe('submitting');
    heavy.stop();
    light.stop();
    await Promise.all([heavy.done, light.done]);

    expect(light.events).toContainEqual(
      expect.objectContaining({ type: 'returned', jobId: jobIdAt(plan, kernelIndex), why: expect.stringContaining('corrupt') as string }),
    );
    expect(heavy.events.filter((event) => event.type === 'proved' && event.jobId === vmId && event.first)).toHaveLength(2);
    expect(Buffer.compare(Buffer.from(await pipeline.artifacts.get(original)), Buffer.from(trueProof))).toBe(0);
    // The kernel's proof was made from the true VM proof, not from the corrupt bytes.
    const kernel = (await pipeline.store.getJob(runId, jobIdAt(plan, kernelIndex)))!;
    const job = jobAt(plan, kernelIndex);
    const childProofs = await Promise.all(Array.from(depsOf(plan, kernelIndex), (child) => pipeline.store.getJob(runId, jobIdAt(plan, child)).then((record) => pipeline.artifacts.get(record!.digest))));
    const expected = await prover(0).prove({ runId, jobId: job.id, kind: job.kind, tier: job.tier, expectedSeconds: 0, childProofs, inputs: { ...job.inputs }, signal: new AbortController().signal });
    expect(Buffer.compare(Buffer.from(await pipeline.artifacts.get(kernel.digest)), Buffer.from(expected))).toBe(0);
  });

  it('dead-letters a job whose prover always fails, and abandons the run with the reason', async () => {
    const { runId, plan } = await seedRun(2, 0);
    const poisonId = jobIdAt(plan, 0);
    await enqueueReadyLeaves(pipeline.queue, plan, runDue(sampleRun(), 1));
    const before = (await pipeline.queue.depth('light')).dead;
    const failing = createSimulatedProver({ clock: systemClock, timeScale: 0, attester, failWhen: (request) => request.jobId === poisonId });
    const agent = agentInProcess('light', failing);
    await expect.poll(() => stateOf(runId), { timeout: 30_000, interval: 300 }).toBe('abandoned');
    const run = (await pipeline.store.getRun(runId))!;
    expect(run.stateReason).toContain(`job ${poisonId} (base) failed ${MAX_FAILURES} times`);
    expect(run.stateReason).toContain('SimulatedProverFailure');
    await expect.poll(async () => (await pipeline.queue.depth('light')).dead, { timeout: 30_000, interval: 500 }).toBe(before + 1);
    agent.stop();
    await agent.done;
    expect(agent.events.filter((event) => event.type === 'failed' && event.jobId === poisonId)).toHaveLength(MAX_FAILURES);
    expect(await pipeline.store.getJob(runId, poisonId)).toMatchObject({ state: 'failed', failures: MAX_FAILURES });
  });
});
