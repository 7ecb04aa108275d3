import { describe, expect, it } from 'vitest';
import type { BlockPlan } from '../plan/blockPlan.js';
import { jobIdAt, jobIndexOf } from '../plan/jobAt.js';
import type { ProofRequest, ProverBackend } from '../ports/proverBackend.js';
import type { Delivery } from '../ports/workQueue.js';
import type { Tier } from '../tiers.js';
import type { RunState } from '../ports/provingRun.js';
import { memoryRunWorld } from '../../test/support/memoryRunWorld.js';
import { DEFAULT_AGENT_SETTINGS, type AgentSettings } from './agentSettings.js';
import { handleDelivery, type AgentEvent } from './handleDelivery.js';
import { watchInterruptionNotice } from './interruptionNotice.js';
import { jobMessage } from '../jobs/jobMessage.js';
import { flush, settled } from '../../test/support/eventLoop.js';
import { runDue } from '../jobs/urgency.js';

const settings: AgentSettings = { ...DEFAULT_AGENT_SETTINGS, visibilityMs: 10_000, heartbeatMs: 3_000, retryDelayMs: 700, maxFailures: 2, staleClaimMs: 5_000 };
const proofOf = (jobId: string) => new TextEncoder().encode(`proof of ${jobId}`);


/**
 * One agent over the memory world, with a block planned (2 txs × 1 public call: vm → kernel → base → root) and its
 * run proving. Proofs take their expected seconds on the manual clock unless `failWith` says otherwise.
 */
async function agentWorld(state: RunState = 'proving') {
  const w = memoryRunWorld();
  const { run, plan } = await w.runIn(state);
  const events: AgentEvent[] = [];
  const roots: { runId: string; digest: string }[] = [];
  const failed: { runId: string; reason: string }[] = [];
  const requests: ProofRequest[] = [];
  let failWith: ((request: ProofRequest) => Error | null) | null = null;
  const backend: ProverBackend = {
    name: 'unit',
    simulated: true,
    async prove(request) {
      requests.push(request);
      await w.clock.sleep(request.expectedSeconds * 1_000, request.signal);
      const error = failWith?.(request);
      if (error) throw error;
      return proofOf(request.jobId);
    },
  };
  const deps = (agentId = 'agent-a', tier: Tier = 'heavy') => ({
    tier,
    agentId,
    store: w.store,
    queue: w.queue,
    artifacts: w.artifacts,
    backend,
    clock: w.clock,
    runs: w.runs,
    targets: w.targets,
    driver: {
      start: async () => true,
      rootProven: async (runId: string, digest: string) => void roots.push({ runId, digest }),
      fail: async (runId: string, reason: string) => void failed.push({ runId, reason }),
    },
    log: w.log,
    onEvent: (event: AgentEvent) => void events.push(event),
  });
  const receive = async (tier: Tier): Promise<Delivery> => {
    const [delivery] = await w.queue.receive(tier, { max: 1, waitMs: 0, visibilityMs: settings.visibilityMs });
    if (!delivery) throw new Error(`nothing queued for ${tier}`);
    return delivery;
  };
  const id = (suffix: string) => `${run.runId}/${suffix}`;
  /** Receives the delivery of one job of `tier`, putting back any other it had to receive first. */
  const take = async (tier: Tier, jobId: string): Promise<Delivery> => {
    const deliveries = await w.queue.receive(tier, { max: 20, waitMs: 0, visibilityMs: settings.visibilityMs });
    for (const other of deliveries.filter((d) => d.message.jobId !== jobId)) await w.queue.release(tier, other.receipt, 0);
    const wanted = deliveries.find((d) => d.message.jobId === jobId);
    if (!wanted) throw new Error(`${jobId} is not queued for ${tier}`);
    return wanted;
  };
  /** Receives the next job of `tier` and handles it to the end, moving the clock as proofs take time. */
  const step = async (tier: Tier, agentId = 'agent-a', stop = new AbortController().signal) => {
    const delivery = await receive(tier);
    const handled = handleDelivery(deps(agentId, tier), settings, delivery, stop);
    await flush();
    await w.clock.advance(60_000);
    return settled(handled);
  };
  const send = async (tier: Tier, jobId: string) => w.queue.send(tier, [jobMessage(plan, jobIndexOf(plan, jobId), runDue({ provingDeadline: 0 }, 1)).message]);
  return { w, run, plan, events, roots, failed, requests, deps, receive, take, step, id, send, fail: (f: typeof failWith) => (failWith = f) };
}

/** Proves the VMs and the kernels, so both bases are queued. */
async function upToBase(t: Awaited<ReturnType<typeof agentWorld>>) {
  for (const tier of ['heavy', 'heavy', 'light', 'light'] as const) await t.step(tier);
}

const ids = (plan: BlockPlan) => Array.from({ length: plan.size }, (_, i) => jobIdAt(plan, i));

describe('handleDelivery', () => {
  it('proves a job from its plan, stores the proof, completes the job and acknowledges the message', async () => {
    const t = await agentWorld();
    const started = t.w.clock.now();
    expect(await t.step('heavy')).toBe('proved');
    const [request] = t.requests;
    expect(request).toMatchObject({ runId: t.run.runId, jobId: t.id('vm/0.0'), kind: 'vm', tier: 'heavy', expectedSeconds: 30, childProofs: [] });
    expect(request!.inputs).toMatchObject({ txIndex: 0, callIndex: 0 });
    expect(request!.rootPublicInputs).toBeUndefined();
    const digest = (await t.w.store.getJob(t.run.runId, t.id('vm/0.0')))!.digest;
    expect(await t.w.artifacts.get(digest)).toEqual(proofOf(t.id('vm/0.0')));
    expect(t.events).toEqual([
      { type: 'proving', runId: t.run.runId, jobId: t.id('vm/0.0'), kind: 'vm', tier: 'heavy', agentId: 'agent-a' },
      { type: 'proved', runId: t.run.runId, jobId: t.id('vm/0.0'), kind: 'vm', tier: 'heavy', agentId: 'agent-a', ms: 30_000, bytes: proofOf(t.id('vm/0.0')).length, first: true, digest },
    ]);
    expect(t.w.clock.now() - started).toBe(60_000);
    expect(await t.w.queue.depth('heavy')).toMatchObject({ ready: 1, inFlight: 0 });
  });

  it("hands a job its children's proofs in input order, and enqueues a parent once its last child is done", async () => {
    const t = await agentWorld();
    await upToBase(t);
    expect(await t.w.queue.depth('light')).toMatchObject({ ready: 2 });
    await t.step('light');
    expect(await t.w.queue.depth('light')).toMatchObject({ ready: 1 });
    await t.step('light');
    expect(await t.w.queue.depth('light')).toMatchObject({ ready: 1 });
    await t.step('light');
    const root = t.requests.at(-1)!;
    expect(root.jobId).toBe(t.id('root'));
    expect(root.childProofs).toEqual([proofOf(t.id('base/0')), proofOf(t.id('base/1'))]);
    expect(root.rootPublicInputs).toEqual({
      blockNumber: t.run.blockNumber,
      proverId: t.run.proverId,
      bodyHash: t.run.bodyHash,
      parentStateRoot: t.run.parentStateRoot,
      newStateRoot: t.run.newStateRoot,
    });
  });

  it('tells the driver when the root is proven, with its digest', async () => {
    const t = await agentWorld();
    for (const tier of ['heavy', 'heavy', 'light', 'light', 'light', 'light', 'light'] as const) await t.step(tier);
    const root = (await t.w.store.getJob(t.run.runId, t.id('root')))!;
    expect(t.roots).toEqual([{ runId: t.run.runId, digest: root.digest }]);
    expect(ids(t.plan).length).toBe(7);
  });

  it('drops the jobs of a run that is no longer proving, acknowledging them', async () => {
    for (const state of ['submitting', 'settled', 'abandoned'] as const) {
      const t = await agentWorld(state);
      expect(await t.step('heavy')).toBe('skipped');
      expect(t.events).toEqual([{ type: 'skipped', runId: t.run.runId, jobId: expect.stringContaining('/vm/'), why: `run is ${state}` }]);
      expect(await t.w.queue.depth('heavy')).toMatchObject({ ready: 1, inFlight: 0 });
      expect(t.requests).toEqual([]);
    }
  });

  it('works the jobs of a run that is planned or provisioning', async () => {
    for (const state of ['planned', 'provisioning'] as const) expect(await (await agentWorld(state)).step('heavy')).toBe('proved');
  });

  it('never drops a message that names no job of its plan: it comes back after the visibility timeout', async () => {
    for (const message of [
      { jobIndex: 0, jobId: 'not-the-job' },
      { jobIndex: 99, jobId: 'x' },
      { jobIndex: -1, jobId: 'x' },
    ]) {
      const t = await agentWorld();
      await t.w.queue.receive('heavy', { max: 2, waitMs: 0, visibilityMs: 999_999 });
      await t.w.queue.send('heavy', [{ runId: t.run.runId, latestStart: 1, ...message }]);
      const delivery = await t.receive('heavy');
      expect(await settled(handleDelivery(t.deps(), settings, delivery, new AbortController().signal))).toBe('skipped');
      expect(t.events.at(-1)).toMatchObject({ type: 'skipped', why: 'unknown job' });
      expect(t.w.log.lines.at(-1)).toMatchObject({ level: 'error', message: 'job message does not match its plan' });
      await t.w.clock.advance(settings.visibilityMs - 1);
      expect(await t.w.queue.depth('heavy')).toMatchObject({ ready: 0, inFlight: 3 });
      await t.w.clock.advance(1);
      expect(await t.w.queue.depth('heavy')).toMatchObject({ ready: 1, inFlight: 2 });
    }
  });

  it('leaves a job another agent holds, retrying when its lease runs out, but not before a second nor after visibilityMs', async () => {
    for (const [leaseMs, hidden] of [
      [4_000, 4_000],
      [10, 1_000],
      [60_000, settings.visibilityMs],
    ] as const) {
      const t = await agentWorld();
      const delivery = await t.receive('heavy');
      await t.w.store.leaseJob({ runId: t.run.runId, jobId: delivery.message.jobId, owner: 'agent-b', now: t.w.clock.now(), leaseMs });
      expect(await settled(handleDelivery(t.deps(), settings, delivery, new AbortController().signal))).toBe('skipped');
      expect(t.events.at(-1)).toMatchObject({ type: 'skipped', why: 'leased by agent-b' });
      await t.w.clock.advance(hidden - 1);
      expect(await t.w.queue.depth('heavy')).toMatchObject({ inFlight: 2 - 1 });
      await t.w.clock.advance(1);
      expect(await t.w.queue.depth('heavy')).toMatchObject({ ready: 2, inFlight: 0 });
    }
  });

  it('records a second completion of a done job again on its parent, idempotently, and acknowledges it', async () => {
    const t = await agentWorld();
    const patient = { ...settings, staleClaimMs: 600_000 };
    const first = await t.take('heavy', t.id('vm/0.0'));
    const proving = handleDelivery(t.deps(), patient, first, new AbortController().signal);
    await flush();
    await t.w.clock.advance(30_000);
    expect(await proving).toBe('proved');
    const kernel = await t.w.store.getJob(t.run.runId, t.id('kernel/0.0'));
    await t.send('heavy', t.id('vm/0.0'));
    expect(await settled(handleDelivery(t.deps(), patient, await t.take('heavy', t.id('vm/0.0')), new AbortController().signal))).toBe('skipped');
    expect(t.events.at(-1)).toMatchObject({ type: 'skipped', jobId: t.id('vm/0.0'), why: 'already done' });
    expect(await t.w.store.getJob(t.run.runId, t.id('kernel/0.0'))).toEqual(kernel);
    expect(await t.w.queue.depth('heavy')).toMatchObject({ ready: 1, inFlight: 0 });
    expect(await t.w.queue.depth('light')).toMatchObject({ ready: 1 });
  });

  it('records a done job on its parent when the first agent crashed between completing and releasing', async () => {
    const t = await agentWorld();
    const delivery = await t.receive('heavy');
    await t.w.store.completeJob(t.run.runId, delivery.message.jobId, 'sha256:earlier', t.w.clock.now());
    expect(await settled(handleDelivery(t.deps(), settings, delivery, new AbortController().signal))).toBe('skipped');
    const kernelId = delivery.message.jobId.replace('vm', 'kernel');
    expect((await t.w.store.getJob(t.run.runId, kernelId))?.children).toEqual({ [delivery.message.jobId]: 'sha256:earlier' });
    expect(await t.w.queue.depth('light')).toMatchObject({ ready: 1 });
  });

  it('leaves a job that failed for good to the dead letters, retrying it after retryDelayMs', async () => {
    const t = await agentWorld();
    const delivery = await t.receive('heavy');
    const { runId } = t.run;
    await t.w.store.leaseJob({ runId, jobId: delivery.message.jobId, owner: 'x', now: 0, leaseMs: 1 });
    await t.w.store.recordFailure({ runId, jobId: delivery.message.jobId, owner: 'x', error: 'boom', now: 0, maxFailures: 1 });
    expect(await settled(handleDelivery(t.deps(), settings, delivery, new AbortController().signal))).toBe('skipped');
    expect(t.events.at(-1)).toMatchObject({ type: 'skipped', why: 'failed for good' });
    await t.w.clock.advance(settings.retryDelayMs - 1);
    expect(await t.w.queue.depth('heavy')).toMatchObject({ ready: 1, inFlight: 1 });
    await t.w.clock.advance(1);
    expect(await t.w.queue.depth('heavy')).toMatchObject({ ready: 2, inFlight: 0 });
  });

  it('proves a corrupt child again: invalidates it, queues it, hands the job back and never uses the bytes', async () => {
    const t = await agentWorld();
    await upToBase(t);
    const kernel = (await t.w.store.getJob(t.run.runId, t.id('kernel/0.0')))!;
    t.w.artifacts.corrupt(kernel.digest);
    const base = await t.take('light', t.id('base/0'));
    expect(await settled(handleDelivery(t.deps('agent-a', 'light'), settings, base, new AbortController().signal))).toBe('returned');
    expect(t.events.at(-1)).toMatchObject({ type: 'returned', jobId: t.id('base/0'), why: expect.stringContaining(`child ${t.id('kernel/0.0')}: artifact ${kernel.digest} is corrupt`) });
    expect(await t.w.store.getJob(t.run.runId, t.id('kernel/0.0'))).toMatchObject({ state: 'waiting', digest: '' });
    expect(await t.w.store.getJob(t.run.runId, t.id('base/0'))).toMatchObject({ state: 'waiting', leaseOwner: '', children: {} });
    const queued = await t.w.queue.receive('light', { max: 10, waitMs: 0, visibilityMs: 1 });
    expect(queued.map((d) => d.message.jobId).sort()).toEqual([t.id('base/1'), t.id('kernel/0.0')]);
    expect(t.requests.map((r) => r.jobId)).not.toContain(t.id('base/0'));
  });

  it('does not queue a corrupt child again when another agent already did', async () => {
    const t = await agentWorld();
    await upToBase(t);
    const kernel = (await t.w.store.getJob(t.run.runId, t.id('kernel/0.0')))!;
    t.w.artifacts.remove(kernel.digest);
    const base = await t.take('light', t.id('base/0'));
    // Another agent got there first: the kernel was invalidated and proven again under another digest.
    await t.w.store.invalidateProof(t.run.runId, t.id('kernel/0.0'), kernel.digest, null);
    expect(await settled(handleDelivery(t.deps('agent-a', 'light'), settings, base, new AbortController().signal))).toBe('returned');
    // Only base/1 waits: the kernel was not queued a second time.
    expect(await t.w.queue.depth('light')).toMatchObject({ ready: 1 });
  });

  it('hands a job back when a child it was enqueued for has been invalidated since', async () => {
    const t = await agentWorld();
    await upToBase(t);
    const base = await t.take('light', t.id('base/0'));
    const kernel = (await t.w.store.getJob(t.run.runId, t.id('kernel/0.0')))!;
    await t.w.store.invalidateProof(t.run.runId, t.id('kernel/0.0'), kernel.digest, t.id('base/0'));
    expect(await settled(handleDelivery(t.deps('agent-a', 'light'), settings, base, new AbortController().signal))).toBe('returned');
    expect(t.events.at(-1)).toMatchObject({ why: `child ${t.id('kernel/0.0')} is not done (it was invalidated after this job was enqueued)` });
    expect(await t.w.queue.depth('light')).toMatchObject({ ready: 1, inFlight: 0 });
    expect((await t.w.store.getJob(t.run.runId, t.id('base/0')))?.state).toBe('waiting');
  });

  it('lets an artifact store outage through (the loop puts the message back)', async () => {
    const t = await agentWorld();
    await upToBase(t);
    t.w.artifacts.get = () => Promise.reject(new Error('S3 is down'));
    const base = await t.take('light', t.id('base/0'));
    await expect(settled(handleDelivery(t.deps('agent-a', 'light'), settings, base, new AbortController().signal))).rejects.toThrow('S3 is down');
  });

  it('counts a failed proof, retries it after retryDelayMs × failures, and fails the run when the job is exhausted', async () => {
    const t = await agentWorld();
    t.fail(() => new RangeError('out of memory'));
    expect(await t.step('heavy')).toBe('failed');
    const jobId = t.requests[0]!.jobId;
    expect(t.events.at(-1)).toEqual({ type: 'failed', runId: t.run.runId, jobId, error: 'RangeError: out of memory', exhausted: false });
    expect(await t.w.store.getJob(t.run.runId, jobId)).toMatchObject({ state: 'waiting', failures: 1, lastError: 'RangeError: out of memory' });
    expect(t.failed).toEqual([]);

    const second = await t.receive('heavy');
    await t.w.queue.send('heavy', []);
    const handled = handleDelivery(t.deps(), { ...settings, retryDelayMs: 700 }, { ...second, message: { ...second.message, jobId, jobIndex: jobIndexOf(t.plan, jobId) } }, new AbortController().signal);
    await flush();
    await t.w.clock.advance(30_000);
    expect(await settled(handled)).toBe('failed');
    expect(t.failed).toEqual([{ runId: t.run.runId, reason: `job ${jobId} (vm) failed 2 times: RangeError: out of memory` }]);
    expect(t.events.at(-1)).toMatchObject({ exhausted: true });
  });

  it('releases a failed message for retryDelayMs × the failures so far', async () => {
    const t = await agentWorld();
    t.fail(() => new Error('flaky'));
    const delivery = await t.receive('heavy');
    const handled = handleDelivery(t.deps(), settings, delivery, new AbortController().signal);
    await flush();
    await t.w.clock.advance(30_000);
    expect(await settled(handled)).toBe('failed');
    await t.w.clock.advance(settings.retryDelayMs - 1);
    expect(await t.w.queue.depth('heavy')).toMatchObject({ ready: 1, inFlight: 1 });
    await t.w.clock.advance(1);
    expect(await t.w.queue.depth('heavy')).toMatchObject({ ready: 2, inFlight: 0 });
  });

  it('describes a failure that is not an Error as it is', async () => {
    const t = await agentWorld();
    t.fail(() => 'a string' as unknown as Error);
    expect(await t.step('heavy')).toBe('failed');
    expect(t.events.at(-1)).toMatchObject({ error: 'a string' });
  });

  it('hands its job straight back, without counting an attempt, when told to stop mid-proof', async () => {
    const t = await agentWorld();
    const stop = new AbortController();
    const delivery = await t.receive('heavy');
    const handled = handleDelivery(t.deps(), settings, delivery, stop.signal);
    await flush();
    await t.w.clock.advance(10_000);
    stop.abort(new Error('SIGTERM'));
    expect(await settled(handled)).toBe('returned');
    expect(t.events.at(-1)).toMatchObject({ type: 'returned', why: 'agent stopping' });
    expect(await t.w.store.getJob(t.run.runId, delivery.message.jobId)).toMatchObject({ state: 'waiting', failures: 0, leaseOwner: '' });
    expect(await t.w.queue.depth('heavy')).toMatchObject({ ready: 2, inFlight: 0 });
    // Sent back due now (the urgent lane): the next receive gets it before the job that has not waited yet.
    const [next] = await t.w.queue.receive('heavy', { max: 1, waitMs: 0, visibilityMs: 1_000 });
    expect(next!.message).toMatchObject({ jobId: delivery.message.jobId, latestStart: t.w.clock.now() / 1_000 });
  });

  it('hands its job back without proving when told to stop before the proof starts (SIGTERM while fetching and leasing)', async () => {
    const t = await agentWorld();
    const stop = new AbortController();
    stop.abort(new Error('SIGTERM'));
    const delivery = await t.receive('heavy');
    expect(await settled(handleDelivery(t.deps(), settings, delivery, stop.signal))).toBe('returned');
    expect(t.requests).toHaveLength(0);
    expect(t.events).toEqual([{ type: 'returned', runId: t.run.runId, jobId: delivery.message.jobId, why: 'agent stopping' }]);
    expect(await t.w.store.getJob(t.run.runId, delivery.message.jobId)).toMatchObject({ state: 'waiting', failures: 0, leaseOwner: '' });
  });

  describe("on Spot's interruption notice", () => {
    /** The notice as the agent loop holds it (`watchInterruptionNotice`), on the world's clock. */
    const noticeOn = (t: Awaited<ReturnType<typeof agentWorld>>) => {
      const controller = new AbortController();
      return { controller, notice: watchInterruptionNotice(controller.signal, t.w.clock) };
    };

    it('finishes a proof that fits, records it exactly once, and acknowledges it', async () => {
      const t = await agentWorld();
      const { controller, notice } = noticeOn(t);
      const delivery = await t.receive('heavy');
      const handled = handleDelivery(t.deps(), settings, delivery, new AbortController().signal, notice);
      await flush();
      // A 30-s VM proof 10 s in: 20 s left × 1.5 + 10 s fits in 120 − 20 s.
      await t.w.clock.advance(10_000);
      controller.abort(new Error('SIGUSR2'));
      await t.w.clock.advance(20_000);
      expect(await settled(handled)).toBe('proved');
      expect(t.events.map((event) => event.type)).toEqual(['proving', 'proved']);
      expect(t.requests).toHaveLength(1);
      const job = await t.w.store.getJob(t.run.runId, delivery.message.jobId);
      expect(job).toMatchObject({ state: 'done', failures: 0 });
      expect(await t.w.artifacts.get(job!.digest)).toEqual(proofOf(delivery.message.jobId));
      // The message is acknowledged, not sent again: only the other VM is queued.
      expect(await t.w.queue.depth('heavy')).toMatchObject({ ready: 1, inFlight: 0 });
    });

    it('hands back at once, due now, a proof with more left than the notice allows', async () => {
      const t = await agentWorld();
      const { controller, notice } = noticeOn(t);
      const delivery = await t.receive('heavy');
      const handled = handleDelivery(t.deps(), { ...settings, interruptionMarginMs: 100_000 }, delivery, new AbortController().signal, notice);
      await flush();
      // 20 s left × 1.5 + 10 s = 40 s against 120 − 100 = 20 s.
      await t.w.clock.advance(10_000);
      controller.abort(new Error('SIGUSR2'));
      expect(await settled(handled)).toBe('returned');
      expect(t.events.at(-1)).toMatchObject({ type: 'returned', why: 'interruption notice' });
      expect(await t.w.store.getJob(t.run.runId, delivery.message.jobId)).toMatchObject({ state: 'waiting', failures: 0, leaseOwner: '' });
      const [next] = await t.w.queue.receive('heavy', { max: 1, waitMs: 0, visibilityMs: 1_000 });
      expect(next!.message).toMatchObject({ jobId: delivery.message.jobId, latestStart: t.w.clock.now() / 1_000 });
    });

    it('hands a proof back at its hand-back time when it runs past what it was expected to take', async () => {
      const t = await agentWorld();
      const { controller, notice } = noticeOn(t);
      const slow: ProverBackend = {
        name: 'slow',
        simulated: true,
        prove: async (request) => {
          await t.w.clock.sleep(600_000, request.signal);
          return proofOf(request.jobId);
        },
      };
      const delivery = await t.receive('heavy');
      const handled = handleDelivery({ ...t.deps(), backend: slow }, settings, delivery, new AbortController().signal, notice);
      await flush();
      await t.w.clock.advance(10_000);
      controller.abort(new Error('SIGUSR2'));
      // Judged to fit (30-s expectation), so it goes on until notice − margin − upload = 90 s after the notice.
      await t.w.clock.advance(89_999);
      await flush();
      expect(t.events.map((event) => event.type)).toEqual(['proving']);
      await t.w.clock.advance(1);
      expect(await settled(handled)).toBe('returned');
      expect(t.w.log.lines.some((line) => line.level === 'warn' && line.message.includes('ran past what the interruption notice allows'))).toBe(true);
      expect(await t.w.store.getJob(t.run.runId, delivery.message.jobId)).toMatchObject({ state: 'waiting', leaseOwner: '' });
    });

    it('judges a notice that came before the proof started against what is left of it', async () => {
      const t = await agentWorld();
      const { controller, notice } = noticeOn(t);
      controller.abort(new Error('SIGUSR2'));
      // 95 s after the notice only 5 s of it is usable: a 30-s proof is not started, its job goes back.
      await t.w.clock.advance(95_000);
      const delivery = await t.receive('heavy');
      expect(await settled(handleDelivery(t.deps(), settings, delivery, new AbortController().signal, notice))).toBe('returned');
      expect(t.requests).toHaveLength(0);
      expect(t.events).toEqual([{ type: 'returned', runId: t.run.runId, jobId: delivery.message.jobId, why: 'interruption notice' }]);
    });

    it('still hands back at once on SIGTERM while finishing a proof under the notice', async () => {
      const t = await agentWorld();
      const { controller, notice } = noticeOn(t);
      const stop = new AbortController();
      const delivery = await t.receive('heavy');
      const handled = handleDelivery(t.deps(), settings, delivery, stop.signal, notice);
      await flush();
      controller.abort(new Error('SIGUSR2'));
      await t.w.clock.advance(10_000);
      stop.abort(new Error('SIGTERM'));
      expect(await settled(handled)).toBe('returned');
      expect(t.events.at(-1)).toMatchObject({ type: 'returned', why: 'agent stopping' });
    });
  });

  it("keeps the message invisible and the lease alive while a long proof runs (the heartbeat)", async () => {
    const t = await agentWorld();
    const delivery = await t.receive('heavy');
    const started = t.w.clock.now();
    // A 30 s proof against a 10 s visibility: without the heartbeat the message would reappear at 10 s.
    const handled = handleDelivery(t.deps(), settings, delivery, new AbortController().signal);
    await flush();
    for (let s = 0; s < 27; s += 3) {
      await t.w.clock.advance(3_000);
      await flush();
      expect(await t.w.queue.depth('heavy')).toMatchObject({ ready: 1, inFlight: 1 });
    }
    expect((await t.w.store.getJob(t.run.runId, delivery.message.jobId))?.leaseExpiresAt).toBe(started + 27_000 + settings.visibilityMs);
    await t.w.clock.advance(3_000);
    expect(await settled(handled)).toBe('proved');
  });

  it('warns when its lease was lost while proving, and when a heartbeat fails, and goes on proving', async () => {
    const t = await agentWorld();
    const delivery = await t.receive('heavy');
    const extend = t.w.queue.extend.bind(t.w.queue);
    let failExtend = true;
    t.w.queue.extend = async (...args) => {
      if (failExtend) {
        failExtend = false;
        throw new Error('SQS throttled');
      }
      return extend(...args);
    };
    const handled = handleDelivery(t.deps(), settings, delivery, new AbortController().signal);
    await flush();
    await t.w.clock.advance(3_000);
    await flush();
    expect(t.w.log.lines.at(-1)).toMatchObject({ level: 'warn', message: 'heartbeat failed', fields: { error: 'Error: SQS throttled' } });
    await t.w.store.returnLease(t.run.runId, delivery.message.jobId, 'agent-a');
    await t.w.clock.advance(3_000);
    await flush();
    expect(t.w.log.lines.at(-1)).toMatchObject({ level: 'warn', message: 'lease lost while proving', fields: { jobId: delivery.message.jobId } });
    await t.w.clock.advance(30_000);
    expect(await settled(handled)).toBe('proved');
  });

  it("reports a duplicate completion with the first proof's digest, and releases the parent with it", async () => {
    const t = await agentWorld();
    const delivery = await t.receive('heavy');
    const handled = handleDelivery(t.deps(), settings, delivery, new AbortController().signal);
    await flush();
    await t.w.store.completeJob(t.run.runId, delivery.message.jobId, 'sha256:first', t.w.clock.now());
    await t.w.clock.advance(30_000);
    expect(await settled(handled)).toBe('proved');
    expect(t.events.at(-1)).toMatchObject({ first: false, digest: 'sha256:first' });
    const kernelId = delivery.message.jobId.replace('vm', 'kernel');
    expect((await t.w.store.getJob(t.run.runId, kernelId))?.children).toEqual({ [delivery.message.jobId]: 'sha256:first' });
  });
});
