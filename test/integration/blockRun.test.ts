import { bytesToHex, recoverMessageAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBlockRunInput } from '../../adapters/aws/blockRunInput.js';
import type { BlockRunRequest } from '../../core/ports/blockRunDriver.js';
import { hashRootPublicInputs } from '../../core/protocol/publicInputs.js';
import { provisionRun } from '../../core/run/provisionRun.js';
import { createPlannerHandler } from '../../functions/planner/handler.js';
import { createPlannerDependencies } from '../../functions/planner/plannerDependencies.js';
import { silentLogger } from '../../core/ports/logger.js';
import { confirmTransaction } from '../../l1/transactions/confirmTransaction.js';
import { startProtocolFixture, type ProtocolFixture } from '../../l1/testing/protocolFixture.js';
import { spawnAgent, type AgentProcess } from './support/agentProcess.js';
import { emulatorClients, emulatorEnvironment } from './support/awsTestEnvironment.js';
import { createPipelineEnvironment, l1Environment, type PipelineEnvironment } from './support/pipelineEnvironment.js';
import { revealedBlock } from './support/revealedBlock.js';
import { serveJsonRpc } from './support/serveJsonRpc.js';

const TXS = 32;

describe('a 32-tx block proven through the AWS adapters', () => {
  const clients = emulatorClients();
  let f: ProtocolFixture;
  let pipeline: PipelineEnvironment;
  let rpc: { url: string; close(): Promise<void> };
  const agents: AgentProcess[] = [];
  let prover: ProtocolFixture['wallets'][number];
  let blockNumber: bigint;
  let request: BlockRunRequest;
  let env: Record<string, string>;
  const slot = 1n;

  beforeAll(async () => {
    // The planner's SDK clients resolve the emulators from the environment, as a Lambda resolves AWS.
    Object.assign(process.env, emulatorEnvironment());
    [f, pipeline] = await Promise.all([startProtocolFixture(), createPipelineEnvironment(clients, { maxReceiveCount: 3 })]);
    rpc = await serveJsonRpc(f.chain.transport, f.chain.chain);
    prover = f.wallets[4]!;
    // L1: a sequencer proposes and reveals a 32-tx body.
    request = await revealedBlock(f, { txs: TXS, seed: 'aws-e2e', slot });
    blockNumber = request.blockNumber;
    env = {
      ...emulatorEnvironment(),
      ...pipeline.env,
      ...l1Environment(f, rpc.url, prover.account.address),
    };
  });
  afterAll(async () => {
    for (const agent of agents) agent.kill('SIGKILL');
    await rpc?.close();
    await pipeline?.remove();
    clients.destroy();
  });

  it('plans from L1, walks the tree with agent processes and proves a root that L1 accepts', async () => {
    // The plan state: the planner Lambda's handler, configured from its environment.
    const plan = createPlannerHandler(env);
    const event = JSON.parse(JSON.stringify(toBlockRunInput(request))) as unknown;
    const summary = await plan(event);
    expect(summary).toMatchObject({ runId: request.runId, state: 'planned', stateReason: '' });
    expect(summary.jobCount).toBe(TXS * 3 + (TXS - 2) + 1);
    expect(await plan(event)).toEqual(summary);

    // The provision state (scaling against the fake Batch API), then agents as separate processes.
    const { deps, settings } = await createPlannerDependencies(env, {}, silentLogger);
    await provisionRun(deps, settings, request.runId);
    const agentEnv = {
      ...env,
      PROVER_BACKEND: 'simulated',
      PROVER_DEV_PRIVATE_KEY: f.chain.accounts[4]!,
      SIMULATED_TIME_SCALE: '0.002',
      AGENT_WAIT_MS: '1000',
      AGENT_IDLE_EXIT_MS: '4000',
      AGENT_VISIBILITY_MS: '10000',
      AGENT_HEARTBEAT_MS: '3000',
      AGENT_RETRY_DELAY_MS: '500',
      AGENT_RUN_CACHE_MS: '2000',
    };
    agents.push(spawnAgent('heavy-1', { ...agentEnv, AGENT_TIER: 'heavy' }));
    agents.push(spawnAgent('light-1', { ...agentEnv, AGENT_TIER: 'light' }));
    agents.push(spawnAgent('light-2', { ...agentEnv, AGENT_TIER: 'light' }));

    await expect
      .poll(async () => (await pipeline.store.getRun(request.runId))?.state, { timeout: 120_000, interval: 500 })
      .toBe('submitting');
    const run = (await pipeline.store.getRun(request.runId))!;
    expect(run.rootDigest).toMatch(/^sha256:[0-9a-f]{64}$/);

    // Idle agents exit by themselves, with 0; by then every event they logged has been read.
    expect(await Promise.all(agents.map((agent) => agent.exited))).toEqual([0, 0, 0]);

    // Every job was proven exactly once, across all agents.
    const completions = new Map<string, number>();
    for (const agent of agents) {
      for (const event of agent.events) if (event.type === 'proved' && event.first) completions.set(event.jobId, (completions.get(event.jobId) ?? 0) + 1);
    }
    expect(completions.size).toBe(summary.jobCount);
    expect([...completions.values()].every((count) => count === 1)).toBe(true);

    // The root proof is the prover's attestation over the run's public inputs, and L1 accepts it.
    const proof = bytesToHex(await pipeline.artifacts.get(run.rootDigest));
    const publicInputs = {
      blockNumber,
      proverId: run.proverId,
      bodyHash: run.bodyHash,
      parentStateRoot: run.parentStateRoot,
      newStateRoot: run.newStateRoot,
    };
    expect(await recoverMessageAddress({ message: { raw: hashRootPublicInputs(publicInputs) }, signature: proof })).toBe(prover.account.address);
    await f.advanceTo(f.schedule(slot).commitEnd);
    const chain = f.rollupChain(prover);
    await confirmTransaction(f.publicClient, 'submitProof', chain.submitProof({ publicInputs, proof, deadline: run.provingDeadline }));
    expect(await chain.blockState(blockNumber)).toMatchObject({ status: 'proven', provenBy: prover.account.address });
  });

  it('records a body that does not hash to the revealed hash as an abandoned run with the reason', async () => {
    const refused = { ...request, runId: `${request.runId}-forged`, bodyHash: `0x${'99'.repeat(32)}` as const };
    const summary = await createPlannerHandler(env)(toBlockRunInput(refused));
    expect(summary).toMatchObject({ runId: refused.runId, state: 'abandoned', jobCount: 0 });
    expect(summary.stateReason).toContain('BodyHashMismatchError');
    expect(await pipeline.store.getRun(refused.runId)).toMatchObject({ state: 'abandoned' });
  });
});
