import { createMemoryFleetTargets } from '../../adapters/embedded/memoryFleetTargets.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateKeyToAccount } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';
import { openFileArtifactStore } from '../../adapters/embedded/fileArtifactStore.js';
import { openLmdbJobStore } from '../../adapters/embedded/lmdbJobStore.js';
import { createMemoryWorkQueue } from '../../adapters/embedded/memoryWorkQueue.js';
import { systemClock } from '../../adapters/embedded/systemClock.js';
import { createSimulatedProver } from '../../adapters/provers/simulatedProver.js';
import { DEFAULT_AGENT_SETTINGS, type AgentSettings } from '../../core/agent/agentSettings.js';
import { handleDelivery, type AgentDependencies, type DeliveryResult } from '../../core/agent/handleDelivery.js';
import { jobMessage } from '../../core/jobs/jobMessage.js';
import { createRunContexts } from '../../core/run/runContexts.js';
import { encodeBlockBodyBytes } from '../../core/body/encodeBlockBody.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import type { BlockPlan } from '../../core/plan/blockPlan.js';
import { jobIdAt, jobIndexOf } from '../../core/plan/jobAt.js';
import { planBlock } from '../../core/plan/planBlock.js';
import { rfp2023 } from '../../core/profiles/rfp2023.js';
import type { ProofRequest } from '../../core/ports/proverBackend.js';
import { silentLogger } from '../../core/ports/logger.js';
import type { Tier } from '../../core/tiers.js';
import { enqueueReadyLeaves } from '../../core/jobs/enqueueReadyJobs.js';
import { TEST_PROVER_KEY } from '../support/embeddedHarness.js';
import { sampleRun } from '../support/sampleRun.js';
import { runDue } from '../../core/jobs/urgency.js';

const settings: AgentSettings = { ...DEFAULT_AGENT_SETTINGS, visibilityMs: 400, waitMs: 0, retryDelayMs: 0, maxFailures: 2, staleClaimMs: 10_000 };

/** One block (2 txs, 1 public call each: vm → kernel → base → root) and one agent's worth of ports, stepped by hand. */
function setUp(failWhen?: (request: ProofRequest) => boolean, timeScale = 0) {
  const directory = mkdtempSync(join(tmpdir(), 'pb-agent-'));
  const store = openLmdbJobStore(join(directory, 'store'));
  const artifacts = openFileArtifactStore(join(directory, 'artifacts'));
  const queue = createMemoryWorkQueue({ clock: systemClock, maxReceiveCount: 3 });
  const attester = privateKeyToAccount(TEST_PROVER_KEY);
  const failures: string[] = [];
  const roots: string[] = [];
  const sent = new Map<string, number>();
  const countingQueue = {
    ...queue,
    send: async (tier: Tier, messages: Parameters<typeof queue.send>[1]) => {
      for (const message of messages) sent.set(message.jobId, (sent.get(message.jobId) ?? 0) + 1);
      return queue.send(tier, messages);
    },
  };
  const runs = createRunContexts({ store, artifacts, clock: systemClock, runTtlMs: 0, maxPlans: 2 });
  const targets = createMemoryFleetTargets();
  const agent = (tier: Tier, agentId: string): AgentDependencies => ({
    tier,
    agentId,
    store,
    queue: countingQueue,
    artifacts,
    backend: createSimulatedProver({ clock: systemClock, timeScale, attester, ...(failWhen ? { failWhen } : {}) }),
    clock: systemClock,
    targets,
    runs,
    driver: { start: async () => true, rootProven: async (_, digest) => void roots.push(digest), fail: async (_, reason) => void failures.push(reason) },
    log: silentLogger,
  });
  let plan!: BlockPlan;
  const ready = async () => {
    const body = syntheticBlockBody({ txs: 2, publicCalls: { kind: 'fixed', calls: 1 }, seed: 'agent' });
    const bodyDigest = await artifacts.put(encodeBlockBodyBytes(body));
    plan = planBlock(body, rfp2023, { blockId: 'run', trusted: true });
    await store.createRun(sampleRun({ runId: 'run', bodyDigest, state: 'proving', proverId: attester.address }));
    await enqueueReadyLeaves(countingQueue, plan, runDue(sampleRun(), 1));
  };
  /** Receives one delivery of the tier and hands it to an agent. */
  const step = async (tier: Tier, agentId = 'agent-a', stop = new AbortController().signal): Promise<DeliveryResult | 'empty'> => {
    const [delivery] = await queue.receive(tier, { max: 1, waitMs: 0, visibilityMs: settings.visibilityMs });
    return delivery ? handleDelivery(agent(tier, agentId), settings, delivery, stop) : 'empty';
  };
  const id = (suffix: string) => `run/${suffix}`;
  return {
    store, artifacts, queue, sent, failures, roots, agent, ready, step, id,
    get plan() {
      return plan;
    },
    close: async () => {
      await store.close();
      await artifacts.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

describe('an agent handling deliveries', () => {
  let t: ReturnType<typeof setUp>;
  afterEach(async () => t?.close());

  it('walks the tree: each job releases its parent once all its children are done, and the root ends the walk', async () => {
    t = setUp();
    await t.ready();
    expect(await t.step('heavy')).toBe('proved');
    expect(await t.step('heavy')).toBe('proved');
    for (let i = 0; i < 5; i++) expect(await t.step('light')).toBe('proved');
    expect(await t.step('light')).toBe('empty');
    expect(t.roots).toHaveLength(1);
    expect((await t.store.getJob('run', t.id('root')))?.state).toBe('done');
    expect([...t.sent.values()].every((count) => count === 1)).toBe(true);
  });

  it('completes a duplicate delivery once and releases the parent once', async () => {
    t = setUp();
    await t.ready();
    const vm = jobMessage(t.plan, jobIndexOf(t.plan, t.id('vm/0.0')), runDue(sampleRun(), 1));
    await t.queue.send('heavy', [vm.message]);
    const results = [await t.step('heavy'), await t.step('heavy'), await t.step('heavy')];
    expect(results.sort()).toEqual(['proved', 'proved', 'skipped']);
    expect(t.sent.get(t.id('kernel/0.0'))).toBe(1);
    expect(t.sent.get(t.id('kernel/1.0'))).toBe(1);
  });

  it('leaves a job leased by a vanished agent until its lease expires, then proves it once', async () => {
    t = setUp(undefined, 0);
    await t.ready();
    await t.store.leaseJob({ runId: 'run', jobId: t.id('vm/0.0'), owner: 'vanished', now: systemClock.now(), leaseMs: 300 });
    const results: (DeliveryResult | 'empty')[] = [];
    const deadline = Date.now() + 5_000;
    while ((await t.store.getJob('run', t.id('vm/0.0')))?.state !== 'done' && Date.now() < deadline) {
      results.push(await t.step('heavy', 'agent-b'));
      await systemClock.sleep(25);
    }
    expect(results).toContain('skipped');
    expect((await t.store.getJob('run', t.id('vm/0.0')))?.state).toBe('done');
    expect(t.sent.get(t.id('kernel/0.0'))).toBe(1);
  });

  it('detects a corrupt child proof by digest, proves the child again, and never uses the corrupt bytes', async () => {
    t = setUp();
    await t.ready();
    await t.step('heavy');
    await t.step('heavy');
    const vm = (await t.store.getJob('run', t.id('vm/0.0')))!;
    await t.artifacts.tamper(vm.digest, new TextEncoder().encode('not a proof'));
    const kernelFirst = await t.step('light');
    const kernelSecond = await t.step('light');
    expect([kernelFirst, kernelSecond].sort()).toEqual(['proved', 'returned']);
    expect((await t.store.getJob('run', t.id('vm/0.0')))?.state).toBe('waiting');
    expect(await t.step('heavy')).toBe('proved');
    expect((await t.store.getJob('run', t.id('vm/0.0')))?.digest).toBe(vm.digest);
    expect(Buffer.from(await t.artifacts.get(vm.digest)).toString()).not.toBe('not a proof');
    for (let i = 0; i < 20 && (await t.step('light')) !== 'empty'; i++);
    expect(t.roots).toHaveLength(1);
    expect(t.sent.get(t.id('kernel/0.0'))).toBe(2);
  });

  it('re-proves a failed job, then fails the run with the reason, and the queue dead-letters the message', async () => {
    t = setUp((request) => request.jobId === 'run/vm/1.0');
    await t.ready();
    const results = new Set<string>();
    for (let i = 0; i < 8; i++) {
      results.add(await t.step('heavy'));
      await systemClock.sleep(5);
    }
    expect(results).toContain('failed');
    expect(t.failures).toEqual([expect.stringContaining('job run/vm/1.0 (vm) failed 2 times: SimulatedProverFailure')]);
    expect((await t.store.getJob('run', t.id('vm/1.0')))).toMatchObject({ state: 'failed', failures: 2 });
    await expect.poll(async () => (await t.queue.depth('heavy')).dead, { timeout: 3_000 }).toBe(1);
  });

  it('hands its job straight back when told to stop mid-proof', async () => {
    t = setUp(undefined, 10);
    await t.ready();
    const stop = new AbortController();
    const proving = t.step('heavy', 'agent-a', stop.signal);
    await expect.poll(async () => (await t.store.getJob('run', t.id('vm/0.0')))?.state ?? (await t.store.getJob('run', t.id('vm/1.0')))?.state).toBe('leased');
    stop.abort(new Error('SIGTERM'));
    expect(await proving).toBe('returned');
    const depth = await t.queue.depth('heavy');
    expect(depth.ready).toBe(2);
    const [again] = await t.queue.receive('heavy', { max: 2, waitMs: 0, visibilityMs: 1_000 });
    const lease = await t.store.leaseJob({ runId: 'run', jobId: again!.message.jobId, owner: 'agent-b', now: systemClock.now(), leaseMs: 1_000 });
    expect(lease.kind).toBe('leased');
  });

  it('drops the jobs of an abandoned run', async () => {
    t = setUp();
    await t.ready();
    await t.store.transitionRun('run', ['proving'], 'abandoned', { stateReason: 'pruned' }, systemClock.now());
    expect(await t.step('heavy')).toBe('skipped');
    expect(await t.step('heavy')).toBe('skipped');
    expect(await t.queue.depth('heavy')).toMatchObject({ ready: 0, inFlight: 0 });
  });

  it('never drops a message that names no job of its plan: it goes to the dead letters', async () => {
    t = setUp();
    await t.ready();
    await t.queue.send('light', [{ runId: 'run', jobId: 'run/kernel/9.9', jobIndex: 3, latestStart: 1 }]);
    const results: string[] = [];
    for (let i = 0; i < 4; i++) {
      results.push(await t.step('light'));
      await systemClock.sleep(settings.visibilityMs + 20);
    }
    expect(results.slice(0, 3)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(t.queue.deadLetters('light')).toEqual([{ runId: 'run', jobId: 'run/kernel/9.9', jobIndex: 3, latestStart: 1 }]);
    expect(jobIdAt(t.plan, 3)).not.toBe('run/kernel/9.9');
  });
});
