import { describe, expect, it } from 'vitest';
import type { Delivery, ReceiveOptions, WorkQueue } from '../ports/workQueue.js';
import type { Tier } from '../tiers.js';
import { memoryRunWorld, type MemoryRunWorld } from '../../test/support/memoryRunWorld.js';
import type { FleetTargets, TierTarget } from '../ports/fleetTargets.js';
import { PRESENCE_REFRESH_MS, type InstancePresence } from '../ports/instancePresence.js';
import type { ArtifactStore } from '../ports/artifactStore.js';
import type { ProverBackend } from '../ports/proverBackend.js';
import { createMemoryInstancePresence } from '../../adapters/embedded/memoryInstancePresence.js';
import { DEFAULT_AGENT_SETTINGS, type AgentSettings } from './agentSettings.js';
import type { AgentDependencies } from './handleDelivery.js';
import { runAgent, type AgentSummary } from './runAgent.js';
import { flush, settled } from '../../test/support/eventLoop.js';

const settings: AgentSettings = { ...DEFAULT_AGENT_SETTINGS, waitMs: 1_000, idleExitMs: 5_000, retryDelayMs: 300, visibilityMs: 60_000 };


/** An agent over the memory world whose prover answers at once; `queue` may be swapped for a scripted one. */
async function agent(
  options: {
    queue?: (real: WorkQueue, stop: AbortController) => WorkQueue;
    tier?: Tier;
    /** Sets the world up (the fleet's targets) before the agent starts. */
    before?: (w: MemoryRunWorld) => Promise<void>;
    targets?: (real: FleetTargets) => FleetTargets;
    settings?: AgentSettings;
    presence?: InstancePresence;
    /** A prover taking time on the world's clock (default: one that answers at once). */
    backend?: (w: MemoryRunWorld) => ProverBackend;
    artifacts?: (real: ArtifactStore) => ArtifactStore;
  } = {},
) {
  const w = memoryRunWorld();
  const { run } = await w.runIn('proving');
  await options.before?.(w);
  const receives: (ReceiveOptions & { at: number })[] = [];
  const stop = new AbortController();
  const notice = new AbortController();
  const base = options.queue?.(w.queue, stop) ?? w.queue;
  const queue: WorkQueue = {
    ...base,
    receive: (tier, receiveOptions) => {
      receives.push({ ...receiveOptions, at: w.clock.now() });
      return base.receive(tier, receiveOptions);
    },
  };
  const deps: AgentDependencies = {
    tier: options.tier ?? 'heavy',
    agentId: 'agent-a',
    store: w.store,
    queue,
    artifacts: options.artifacts?.(w.artifacts) ?? w.artifacts,
    backend: options.backend?.(w) ?? { name: 'instant', simulated: true, prove: async (request) => new TextEncoder().encode(request.jobId) },
    clock: w.clock,
    runs: w.runs,
    driver: { start: async () => true, rootProven: async () => undefined, fail: async () => undefined },
    targets: options.targets?.(w.targets) ?? w.targets,
    log: w.log,
    ...(options.presence ? { presence: options.presence } : {}),
  };
  let summary: AgentSummary | undefined;
  const done = runAgent(deps, options.settings ?? settings, stop.signal, notice.signal).then((s) => (summary = s));
  await flush();
  return { w, run, receives, stop, notice, done, summary: () => summary };
}

describe('runAgent', () => {
  it('long-polls its tier one message at a time and proves what it receives', async () => {
    const a = await agent();
    await a.w.clock.advance(1_000);
    a.stop.abort();
    await a.w.clock.advance(1_000);
    const summary = await settled(a.done);
    expect(summary).toEqual({ agentId: 'agent-a', counts: { proving: 0, proved: 2, failed: 0, returned: 0, skipped: 0 }, exit: 'stopped' });
    expect(a.receives[0]).toMatchObject({ max: 1, waitMs: settings.waitMs, visibilityMs: settings.visibilityMs });
    expect(a.receives[0]!.signal).toBeInstanceOf(AbortSignal);
    expect((await a.w.store.getJob(a.run.runId, `${a.run.runId}/vm/0.0`))?.state).toBe('done');
  });

  it('exits once it has had nothing to do for idleExitMs since its last job', async () => {
    const a = await agent({ tier: 'light' });
    await a.w.clock.advance(settings.idleExitMs - settings.waitMs);
    await flush();
    expect(a.summary()).toBeUndefined();
    await a.w.clock.advance(settings.waitMs);
    await flush();
    expect(a.summary()).toEqual({ agentId: 'agent-a', counts: { proving: 0, proved: 0, failed: 0, returned: 0, skipped: 0 }, exit: 'idle' });
  });

  it('counts its idle time from the end of its last job', async () => {
    const a = await agent();
    // Two VMs proven at once, then the heavy queue stays empty: the agent exits idleExitMs after that.
    await a.w.clock.advance(settings.idleExitMs - 1);
    await flush();
    expect(a.summary()).toBeUndefined();
    await a.w.clock.advance(1_000);
    await flush();
    expect(a.summary()?.exit).toBe('idle');
  });

  it('backs off after a failed receive, doubling per consecutive failure, and logs each', async () => {
    let failures = 2;
    const a = await agent({
      queue: (real) => ({
        ...real,
        receive: (tier, options) => (failures-- > 0 ? Promise.reject(new Error('SQS unreachable')) : real.receive(tier, options)),
      }),
    });
    expect(a.w.log.lines.filter((l) => l.message === 'receive failed').map((l) => l.fields)).toEqual([{ error: 'Error: SQS unreachable', consecutiveErrors: 1 }]);
    await a.w.clock.advance(3_000);
    await flush();
    // 500 ms × 2¹ after the first failure, 500 ms × 2² after the second.
    const start = a.receives[0]!.at;
    expect(a.receives.slice(0, 3).map((r) => r.at - start)).toEqual([0, 1_000, 3_000]);
    expect(a.w.log.lines.filter((l) => l.message === 'receive failed').map((l) => l.fields.consecutiveErrors)).toEqual([1, 2]);
    a.stop.abort();
    await a.w.clock.advance(1_000);
    expect((await settled(a.done)).counts.proved).toBe(2);
  });

  it('caps the back-off at 30 s', async () => {
    const a = await agent({ queue: (real) => ({ ...real, receive: () => Promise.reject(new Error('down')) }) });
    for (let i = 0; i < 8; i++) await a.w.clock.advance(30_000);
    const gaps = a.receives.slice(1).map((r, i) => r.at - a.receives[i]!.at);
    expect(gaps.slice(0, 7)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    a.stop.abort();
    await a.w.clock.advance(30_000);
    expect((await settled(a.done)).exit).toBe('stopped');
  });

  it('puts a message back for retryDelayMs when handling it throws, and goes on', async () => {
    let broken = true;
    const a = await agent({
      queue: (real) => ({
        ...real,
        ack: (tier, receipt) => {
          if (broken) {
            broken = false;
            return Promise.reject(new Error('ack failed'));
          }
          return real.ack(tier, receipt);
        },
      }),
    });
    expect(a.w.log.lines.find((l) => l.message === 'job handling failed; the job goes back to the queue')?.fields).toMatchObject({
      error: expect.stringContaining('ack failed'),
    });
    // The first VM is proven but its ack failed: it is hidden for retryDelayMs, then found done (skipped).
    await a.w.clock.advance(settings.retryDelayMs - 1);
    expect(await a.w.queue.depth('heavy')).toMatchObject({ ready: 1, inFlight: 1 });
    await a.w.clock.advance(1);
    expect(await a.w.queue.depth('heavy')).toMatchObject({ ready: 2, inFlight: 0 });
    await a.w.clock.advance(2_000);
    await flush();
    a.stop.abort();
    await a.w.clock.advance(1_000);
    expect((await settled(a.done)).counts).toMatchObject({ proved: 1, skipped: 1 });
  });

  it('does not stop at a failure that is not an Error', async () => {
    let first = true;
    const a = await agent({
      queue: (real) => ({
        ...real,
        receive: (tier, options) => {
          if (first) {
            first = false;
            // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test: a rejection that is not an Error
            return Promise.reject('plain string');
          }
          return real.receive(tier, options);
        },
      }),
    });
    expect(a.w.log.lines.find((l) => l.message === 'receive failed')?.fields).toEqual({ error: 'plain string', consecutiveErrors: 1 });
    a.stop.abort();
    await a.w.clock.advance(1_000);
    expect((await settled(a.done)).exit).toBe('stopped');
  });

  it('hands back, unhandled and at once, a message received as it was told to stop', async () => {
    const a = await agent({
      queue: (real, stop) => ({
        ...real,
        receive: async (tier, options): Promise<Delivery[]> => {
          const deliveries = await real.receive(tier, options);
          stop.abort();
          return deliveries;
        },
      }),
    });
    expect(await settled(a.done)).toEqual({ agentId: 'agent-a', counts: { proving: 0, proved: 0, failed: 0, returned: 0, skipped: 0 }, exit: 'stopped' });
    expect(await a.w.queue.depth('heavy')).toMatchObject({ ready: 2, inFlight: 0 });
  });

  describe("on Spot's interruption notice", () => {
    /** Proofs take their expected seconds on the world's clock (a VM: 30 s). */
    const timed = (w: MemoryRunWorld): ProverBackend => ({
      name: 'timed',
      simulated: true,
      prove: async (request) => {
        await w.clock.sleep(request.expectedSeconds * 1_000, request.signal);
        return new TextEncoder().encode(request.jobId);
      },
    });

    it('finishes the proof in hand when it fits, records it once, and exits without taking another job', async () => {
      const a = await agent({ backend: timed });
      await a.w.clock.advance(10_000);
      a.notice.abort(new Error('SIGUSR2'));
      await a.w.clock.advance(20_000);
      const summary = await settled(a.done);
      expect(summary).toEqual({ agentId: 'agent-a', counts: { proving: 0, proved: 1, failed: 0, returned: 0, skipped: 0 }, exit: 'stopped' });
      expect((await a.w.store.getJob(a.run.runId, `${a.run.runId}/vm/0.0`))?.state).toBe('done');
      // The other VM is still queued, and the proven one is not queued again.
      expect(await a.w.queue.depth('heavy')).toMatchObject({ ready: 1, inFlight: 0 });
      expect(a.receives).toHaveLength(1);
    });

    it('hands the proof in hand back when it does not fit, and exits', async () => {
      const a = await agent({ backend: timed, settings: { ...settings, interruptionMarginMs: 110_000 } });
      await a.w.clock.advance(10_000);
      a.notice.abort(new Error('SIGUSR2'));
      const summary = await settled(a.done);
      expect(summary.counts).toMatchObject({ proved: 0, returned: 1 });
      expect(summary.exit).toBe('stopped');
      expect(await a.w.store.getJob(a.run.runId, `${a.run.runId}/vm/0.0`)).toMatchObject({ state: 'waiting', leaseOwner: '' });
      expect(await a.w.queue.depth('heavy')).toMatchObject({ ready: 2, inFlight: 0 });
    });

    it('ends a long poll at once: nothing to finish', async () => {
      const a = await agent({ tier: 'light' });
      a.notice.abort(new Error('SIGUSR2'));
      expect(await settled(a.done)).toMatchObject({ exit: 'stopped', counts: { proved: 0, returned: 0 } });
    });
  });

  describe('its instance presence while it proves', () => {
    /** A 20-minute proof, longer than the staleness (15 min). */
    const long = (w: MemoryRunWorld): ProverBackend => ({
      name: 'long',
      simulated: true,
      prove: async (request) => {
        await w.clock.sleep(20 * 60_000, request.signal);
        return new TextEncoder().encode(request.jobId);
      },
    });
    /** The memory presence, with the time of each of agent-a's announcements. */
    const recorded = () => {
      const presence = createMemoryInstancePresence({ slots: 6, rank: 0.5 });
      const announcedAt: number[] = [];
      const port: InstancePresence = {
        announce: async (agentId, nowMs) => {
          if (agentId === 'agent-a') announcedAt.push(nowMs);
          return presence.announce(agentId, nowMs);
        },
        withdraw: (agentId) => presence.withdraw(agentId),
      };
      return { presence, port, announcedAt };
    };

    it('stays present to its neighbours through a proof longer than the staleness', async () => {
      const { presence, port, announcedAt } = recorded();
      const a = await agent({ backend: long, presence: port });
      const start = a.w.clock.now();
      await a.w.clock.advance(16 * 60_000);
      await flush();
      // Sixteen minutes into a twenty-minute proof, a neighbour still counts it.
      expect((await presence.announce('agent-b', a.w.clock.now())).fill).toBe(2);
      expect(announcedAt.map((at) => at - start)).toEqual([0, PRESENCE_REFRESH_MS, 2 * PRESENCE_REFRESH_MS, 3 * PRESENCE_REFRESH_MS]);
      a.stop.abort();
      await a.w.clock.advance(1_000);
      await settled(a.done);
    });

    it('stops refreshing when the job ends, whichever way, and is gone once the agent has left', async () => {
      const { presence, port, announcedAt } = recorded();
      const a = await agent({ backend: long, presence: port });
      await a.w.clock.advance(6 * 60_000);
      // SIGTERM mid-proof: the job goes back and the agent exits.
      a.stop.abort();
      await a.w.clock.advance(1_000);
      expect((await settled(a.done)).exit).toBe('stopped');
      const count = announcedAt.length;
      await a.w.clock.advance(60 * 60_000);
      await flush();
      expect(announcedAt).toHaveLength(count);
      expect((await presence.announce('agent-b', a.w.clock.now())).fill).toBe(1);
    });

    it('stops refreshing when handling a job throws', async () => {
      const { port, announcedAt } = recorded();
      // A 6-minute proof whose upload fails: handleDelivery throws, the loop puts the message back and backs off.
      const a = await agent({
        presence: port,
        backend: (w) => ({
          name: 'six minutes',
          simulated: true,
          prove: async (request) => {
            await w.clock.sleep(6 * 60_000, request.signal);
            return new TextEncoder().encode(request.jobId);
          },
        }),
        artifacts: (real) => ({ ...real, put: async () => Promise.reject(new Error('S3 unreachable')) }),
      });
      const start = a.w.clock.now();
      await a.w.clock.advance(6 * 60_000);
      await flush();
      expect(a.w.log.lines.some((line) => line.message.includes('job handling failed'))).toBe(true);
      a.stop.abort();
      await flush();
      await a.w.clock.advance(60 * 60_000);
      await settled(a.done);
      // The leave check's announcement, one refresh during the proof, and none after the job failed.
      expect(announcedAt.map((at) => at - start)).toEqual([0, PRESENCE_REFRESH_MS]);
    });
  });

  describe('leaving a tier above its target', () => {
    // No idle exit during these tests: leaving is what they watch.
    const patient: AgentSettings = { ...settings, idleExitMs: 600_000 };
    /** The light tier (idle here: its jobs wait for the VMs) one agent above a target of `agents`, since `aboveFor` ms. */
    const above = (agents: number, aboveFor: number) => async (w: MemoryRunWorld) => {
      const target: TierTarget = { agents, observed: agents + 1, leftAtCount: 0, leftBefore: 0, quotaAgents: 8, aboveSince: w.clock.now() - aboveFor, work: [], publishedAt: w.clock.now() };
      await w.targets.put('light', target);
    };

    it('leaves by itself, without being stopped, once the tier has run above its target for the grace', async () => {
      const a = await agent({ tier: 'light', before: above(0, 0), settings: patient });
      await a.w.clock.advance(settings.leaveGraceMs - 1);
      await flush();
      expect(a.summary()).toBeUndefined();
      await a.w.clock.advance(settings.leaveCheckMs);
      await flush();
      expect(a.summary()).toEqual({ agentId: 'agent-a', counts: { proving: 0, proved: 0, failed: 0, returned: 0, skipped: 0 }, exit: 'left' });
      expect(await a.w.targets.get('light')).toMatchObject({ left: 1 });
    });

    it('checks before its first job, so a surplus agent leaves before proving anything', async () => {
      const a = await agent({ tier: 'heavy', settings: patient, before: async (w) => void (await w.targets.put('heavy', { agents: 0, observed: 1, leftAtCount: 0, leftBefore: 0, quotaAgents: 8, aboveSince: w.clock.now() - 60_000, work: [], publishedAt: 0 })) });
      await flush();
      expect(a.summary()).toMatchObject({ exit: 'left', counts: { proved: 0 } });
      expect(a.receives).toEqual([]);
    });

    it('stays while the tier is at its target, or once the surplus has been claimed by others', async () => {
      const stays = async (before: (w: MemoryRunWorld) => Promise<void>) => {
        const a = await agent({ tier: 'light', before, settings: patient });
        await a.w.clock.advance(60_000);
        await flush();
        expect(a.summary()).toBeUndefined();
        a.stop.abort();
        await a.w.clock.advance(settings.waitMs);
        expect((await settled(a.done)).exit).toBe('stopped');
      };
      await stays(async (w) => void (await w.targets.put('light', { agents: 1, observed: 1, leftAtCount: 0, leftBefore: 0, quotaAgents: 8, aboveSince: null, work: [], publishedAt: 0 })));
      await stays(async (w) => {
        await above(3, 60_000)(w);
        expect(await w.targets.claimLeave('light')).toBe(true);
      });
    });

    it('reads the target at most once every leaveCheckMs', async () => {
      const reads: number[] = [];
      let now = () => 0;
      const a = await agent({
        tier: 'light',
        settings: patient,
        before: async (w) => void (now = () => w.clock.now()),
        targets: (real) => ({ ...real, get: (tier) => (reads.push(now()), real.get(tier)) }),
      });
      await a.w.clock.advance(4 * settings.leaveCheckMs);
      await flush();
      expect(reads.length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < reads.length; i++) expect(reads[i]! - reads[i - 1]!).toBeGreaterThanOrEqual(settings.leaveCheckMs);
    });

    it('does not exit idle while a fresh target still wants its tier, and does once that target is stale', async () => {
      const a = await agent({
        tier: 'light',
        before: async (w) => {
          await w.targets.put('light', { agents: 5, observed: 5, quotaAgents: 8, aboveSince: null, leftAtCount: 0, leftBefore: 0, work: [], publishedAt: w.clock.now() });
        },
      });
      // Idle far past idleExitMs, but the scaler keeps publishing a target of 5: the agent stays for the next block.
      for (let i = 0; i < 4; i++) {
        await a.w.clock.advance(settings.idleExitMs - 1_000);
        await a.w.targets.put('light', { agents: 5, observed: 5, quotaAgents: 8, aboveSince: null, leftAtCount: 0, leftBefore: 0, work: [], publishedAt: a.w.clock.now() });
      }
      await flush();
      expect(a.summary()).toBeUndefined();
      // The scaler stops ticking: once the last target is idleExitMs old, the idle exit is the safety net again.
      await a.w.clock.advance(settings.idleExitMs + 2 * settings.leaveCheckMs);
      await flush();
      expect(a.summary()?.exit).toBe('idle');
    });

    it('exits idle at a zero target even when no leave is left to claim', async () => {
      const a = await agent({
        tier: 'light',
        before: async (w) => {
          await w.targets.put('light', { agents: 0, observed: 0, quotaAgents: 8, aboveSince: null, leftAtCount: 0, leftBefore: 0, work: [], publishedAt: w.clock.now() });
        },
      });
      await a.w.clock.advance(settings.idleExitMs);
      await flush();
      expect(a.summary()?.exit).toBe('idle');
    });

    it('on a fuller instance its rank did not choose, stays packingDelayMs per other agent on it, then claims', async () => {
      // Excess share 1/4; two agents on six slots ranked 0.9: 2/6 × 0.9 = 0.3, not chosen; it waits 1 × packingDelayMs.
      const presence = createMemoryInstancePresence({ slots: 6, rank: 0.9 });
      const a = await agent({
        tier: 'light',
        settings: patient,
        presence,
        before: async (w) => {
          await presence.announce('agent-b', w.clock.now());
          await above(3, 60_000)(w);
        },
      });
      await a.w.clock.advance(settings.packingDelayMs - 1);
      await flush();
      expect(a.summary()).toBeUndefined();
      await a.w.clock.advance(settings.leaveCheckMs);
      await flush();
      expect(a.summary()?.exit).toBe('left');
      // It took itself off the instance: agent-b is alone there now.
      expect((await presence.announce('agent-b', a.w.clock.now())).fill).toBe(1);
    });

    it('claims at once when alone on its instance', async () => {
      const presence = createMemoryInstancePresence({ slots: 6, rank: 0.9 });
      const a = await agent({ tier: 'light', settings: patient, presence, before: above(3, 60_000) });
      await flush();
      expect(a.summary()?.exit).toBe('left');
    });

    it('claims as soon as a leave is due when its instance presence fails, and says so', async () => {
      const broken: InstancePresence = { announce: async () => Promise.reject(new Error('read-only file system')), withdraw: async () => undefined };
      const a = await agent({ tier: 'light', settings: patient, presence: broken, before: above(3, 60_000) });
      await flush();
      expect(a.summary()?.exit).toBe('left');
      expect(a.w.log.lines.some((line) => line.level === 'warn' && line.message.includes('could not announce'))).toBe(true);
    });

    it('warns of a broken instance presence once, then only at debug, however often it fails', async () => {
      let announces = 0;
      const broken: InstancePresence = {
        announce: async () => {
          announces++;
          return Promise.reject(new Error('ENOENT: no such file or directory'));
        },
        withdraw: async () => undefined,
      };
      const a = await agent({ tier: 'light', settings: patient, presence: broken });
      await a.w.clock.advance(4 * patient.leaveCheckMs);
      await flush();
      const said = a.w.log.lines.filter((line) => line.message.startsWith('could not announce'));
      expect(announces).toBeGreaterThanOrEqual(4);
      expect(said).toHaveLength(announces);
      expect(said.map((line) => line.level)).toEqual(['warn', ...Array<string>(announces - 1).fill('debug')]);
      a.stop.abort();
      await a.w.clock.advance(settings.waitMs);
      await settled(a.done);
    });

    it('keeps proving when the target cannot be read, and says so', async () => {
      const a = await agent({ tier: 'light', targets: (real) => ({ ...real, get: async () => Promise.reject(new Error('throttled')) }) });
      // Its idle exit still ends it.
      await a.w.clock.advance(settings.idleExitMs);
      await flush();
      expect(a.summary()?.exit).toBe('idle');
      expect(a.w.log.lines.some((line) => line.level === 'warn' && line.message.includes('could not read the fleet target'))).toBe(true);
    });
  });
});
