import { describe, expect, it } from 'vitest';
import { logNormal } from '../model/distribution.js';
import { EventLoop, SIM_EPOCH_MS } from '../engine/eventLoop.js';
import { createFleet, type AgentHandle, type FleetAgent } from './fleet.js';
import type { SimModel } from '../model/model.js';
import { FIXED_DELAYS_MODEL } from './fixedDelaysModel.js';
import { meanStartup } from '../model/startup.js';

// Fixed delays, so times can be checked exactly (see FIXED_DELAYS_MODEL); one agent per instance here (today's types);
// the multi-slot tests below use the default c7i.48xlarge.
const model: SimModel = FIXED_DELAYS_MODEL;
const fixed = (value: number) => ({ kind: 'fixed', value }) as const;

/** A fleet whose agents do nothing until told; `exit` makes one return from its loop. */
function setup(overrides: Partial<SimModel> = {}, warm = false) {
  const loop = new EventLoop();
  const stopped: string[] = [];
  const noticedIds: string[] = [];
  const killed: string[] = [];
  const fleet = createFleet({
    loop,
    model: { ...model, ...overrides },
    seedKey: 7,
    warmUntil: warm ? SIM_EPOCH_MS : -Infinity,
    spawn: (agent: FleetAgent): AgentHandle => ({
      stop: () => stopped.push(agent.id),
      notice: () => noticedIds.push(agent.id),
      kill: () => killed.push(agent.id),
      busy: false,
    }),
  });
  const runUntil = (seconds: number) => loop.run({ until: () => false, limitMs: SIM_EPOCH_MS + seconds * 1_000, settleEveryEvent: false });
  const secondsOf = (at: number) => (at - SIM_EPOCH_MS) / 1_000;
  return { loop, fleet, stopped, noticedIds, killed, runUntil, secondsOf };
}

describe('the modelled Batch fleet', () => {
  it('submits array jobs through the Batch API budget, launches through the RunInstances bucket, then boots and pulls', async () => {
    const { fleet, runUntil, secondsOf } = setup({ ec2: { ...model.ec2, launchBucket: { burst: 1, refillPerSecond: 2 } } });
    await fleet.start('light', 7, { spot: true, reason: 'test' });
    expect(await fleet.count('light')).toEqual({ running: 0, starting: 7 });
    await runUntil(120);
    // Three array jobs of ≤ 3 children at 2 Batch calls/s, scheduled 5 s later (at 5, 5.5 and 6 s), launched as the
    // bucket (1 token, 2 a second) allows from 5 s; running 10 s after launch, ready 30 s after that (boot 20 s, pull
    // 10 s), polling once its container has started, 3 s later.
    expect(fleet.instances.map((instance) => secondsOf(instance.billedFrom))).toEqual([15, 15.5, 16, 16.5, 17, 17.5, 18]);
    expect(fleet.agents.map((agent) => secondsOf(agent.startedAt))).toEqual([48, 48.5, 49, 49.5, 50, 50.5, 51]);
    expect(await fleet.count('light')).toEqual({ running: 7, starting: 0 });
  });

  it('brings an agent on a new instance up after the whole start-up the launch rate and the cold bound assume', async () => {
    const { fleet, runUntil, secondsOf } = setup();
    await fleet.start('light', 1, { spot: true, reason: 'test' });
    await runUntil(100);
    const [agent] = fleet.agents;
    const [instance] = fleet.instances;
    // SubmitJob at 0, scheduled at 5 s (its token then), running at 15 s, ready at 45 s, polling after its container
    // start at 48 s: scheduling 5 + pending 10 + boot 20 + pull 10 + container start 3, as `meanStartup` adds them.
    const startup = meanStartup(model);
    expect(startup).toEqual({ beforeTokenSeconds: 5, afterTokenSeconds: 43, billedSeconds: 33, totalSeconds: 48 });
    expect(secondsOf(agent!.startedAt)).toBe(startup.totalSeconds);
    expect(secondsOf(agent!.startedAt) - secondsOf(instance!.billedFrom)).toBe(startup.billedSeconds);
  });

  it('starts the warm fleet at once, billed from its own start (boot, pull, container start) with the minimum', async () => {
    const { fleet } = setup({}, true);
    await fleet.start('heavy', 2, { spot: true, reason: 'warm' });
    expect(await fleet.count('heavy')).toEqual({ running: 2, starting: 0 });
    // Boot 20 s, pull 10 s, container start 3 s before t = 0: whoever started it, this work pays for it.
    expect(fleet.instances.map((instance) => instance.billedFrom)).toEqual([SIM_EPOCH_MS - 33_000, SIM_EPOCH_MS - 33_000]);
    expect(fleet.instances.every((instance) => instance.minimumApplies && instance.phaseMs.boot === 20_000)).toBe(true);
  });

  it('never runs more instances than maxvCpus allows; the rest wait for room', async () => {
    const { fleet, runUntil, loop } = setup();
    await fleet.start('heavy', 3, { spot: true, reason: 'test' });
    await runUntil(100);
    expect(fleet.running('heavy')).toBe(2);
    expect(fleet.starting('heavy')).toBe(1);
    fleet.agentExited(fleet.agents.find((agent) => agent.state === 'running')!);
    // The freed instance takes the waiting child (container start only), rather than being scaled in.
    await runUntil(110);
    expect(fleet.running('heavy')).toBe(2);
    expect(fleet.instances).toHaveLength(2);
    expect(loop.now).toBeLessThanOrEqual(SIM_EPOCH_MS + 110_000);
  });

  it('terminates an instance after the scale-in delay, and bills at least the minimum', async () => {
    const { fleet, runUntil, secondsOf } = setup({ ec2: { ...model.ec2, scaleInSeconds: fixed(10) } });
    await fleet.start('light', 1, { spot: true, reason: 'test' });
    await runUntil(50);
    fleet.agentExited(fleet.agents[0]!);
    await runUntil(200);
    // Running from 15 s, its agent polls at 48 s (ready at 45 s, container start 3 s) and exits then (the last event
    // before 50 s), terminated at 58 s: 43 s used, the 60 s minimum billed.
    expect(secondsOf(fleet.instances[0]!.terminatedAt)).toBe(58);
    expect(fleet.idle()).toBe(true);
    expect(fleet.bills()[0]).toMatchObject({ billedSeconds: 60, spot: true });
  });

  it('gives a Spot notice: the agent is told of it (not stopped), the machine goes two minutes later', async () => {
    const { fleet, runUntil, stopped, noticedIds, killed, secondsOf } = setup({}, true);
    await fleet.start('light', 4, { spot: true, reason: 'test' });
    const noticed = fleet.interruptSpot(0.5);
    expect(noticed).toHaveLength(2);
    expect(noticedIds).toEqual(noticed.map((agent) => agent.id));
    expect(stopped).toEqual([]);
    // One hands its job back and exits; the other is still at it when the machine is reclaimed.
    fleet.agentExited(noticed[0]!);
    await runUntil(200);
    expect(killed).toEqual([noticed[1]!.id]);
    expect(noticed.map((agent) => secondsOf(agent.instance!.terminatedAt))).toEqual([120, 120]);
  });

  it('kills agents without notice: their machines stop billing at once', async () => {
    const { fleet, killed, loop } = setup({}, true);
    await fleet.start('light', 10, { spot: false, reason: 'test' });
    const victims = fleet.chooseRunning(0.3);
    fleet.kill(victims);
    expect(killed).toHaveLength(3);
    expect(victims.every((agent) => agent.state === 'killed' && agent.instance!.terminatedAt === loop.now)).toBe(true);
    expect(fleet.running('light')).toBe(7);
  });

  it('stops children not started yet first, then idle agents', async () => {
    const { fleet, runUntil, stopped } = setup({ account: { maxVcpus: { heavy: 32, light: 800 } } });
    await fleet.start('heavy', 2, { spot: true, reason: 'test' });
    await runUntil(100);
    await fleet.stop('heavy', 2);
    // Nothing happens until the calls go out: the listing first (2 queues × 5 statuses at 2 calls/s), then one
    // TerminateJob for the whole array, since both its children go.
    expect(fleet.agents.map((agent) => agent.state)).toEqual(['running', 'runnable']);
    await runUntil(106);
    expect(fleet.agents.map((agent) => agent.state)).toEqual(['stopping', 'cancelled']);
    expect(stopped).toHaveLength(1);
    expect(fleet.batchApi.calls).toMatchObject({ SubmitJob: 1, TerminateJob: 1, CancelJob: 0 });
    expect(fleet.stoppedByApi('heavy')).toBe(2);
  });

  it('stops part of an array one child at a time, after listing its children, all within the Batch API budget', async () => {
    const { fleet, runUntil, loop } = setup({ batch: { ...model.batch, apiCallsPerSecond: 50, maxArraySize: 10_000 } }, true);
    await fleet.start('light', 100, { spot: true, reason: 'test' });
    await runUntil(1);
    const before = fleet.batchApi.total;
    await fleet.stop('light', 60);
    // The warm agents are plain jobs of one: 60 TerminateJob calls after the 2 × 5 listing pages, 50 a second.
    expect(fleet.batchApi.total - before).toBe(10 + 60);
    expect(fleet.batchApi.idleAt - loop.now).toBeCloseTo((70 * 1_000) / 50, -2);
    await runUntil(10);
    expect(fleet.stoppedByApi('light')).toBe(60);
    expect(fleet.batchApi.peakPerSecond).toBe(50);
  });

  it('lists a tier past 100 jobs a page, and describes its arrays 100 at a time', async () => {
    const { fleet } = setup({ batch: { ...model.batch, apiCallsPerSecond: 50 }, account: { maxVcpus: { heavy: 64, light: 8_000_000 } } });
    for (let i = 0; i < 150; i++) await fleet.start('light', 3, { spot: true, reason: 'test' });
    const before = { ...fleet.batchApi.calls };
    await fleet.count('light');
    // 150 live arrays: 10 pages minimum (2 queues × 5 statuses) plus one more page, and 2 DescribeJobs.
    expect(fleet.batchApi.calls.ListJobs - before.ListJobs).toBe(11);
    expect(fleet.batchApi.calls.DescribeJobs - before.DescribeJobs).toBe(2);
  });

  it('launches through the RunInstances bucket: its burst at once, then its refill rate, shared by both tiers', async () => {
    const bucket = { burst: 4, refillPerSecond: 2 };
    const { fleet, runUntil, secondsOf } = setup({ ec2: { ...model.ec2, launchBucket: bucket }, batch: { ...model.batch, maxArraySize: 10 } });
    await fleet.start('light', 6, { spot: true, reason: 'test' });
    await fleet.start('heavy', 2, { spot: true, reason: 'test' });
    await runUntil(60);
    // Scheduled at 5 s (light) and 5.5 s (heavy): four at once, then one every half second.
    expect(fleet.instances.map((instance) => secondsOf(instance.billedFrom) - 10)).toEqual([5, 5, 5, 5, 5.5, 6, 6.5, 7]);
    // The second from 5 s holds the burst and the first refilled token.
    expect(fleet.launches()).toMatchObject({ total: 8, peakPerSecond: 5, maxWaitSeconds: 1.5 });
  });

  it('draws each agent’s delays from its own key, so unrelated events do not change them', async () => {
    const spread = { batch: { ...model.batch, schedulingSeconds: logNormal(8, 0.5) } };
    const a = setup(spread);
    const b = setup(spread);
    await a.fleet.start('light', 3, { spot: true, reason: 'test' });
    await b.fleet.start('light', 3, { spot: true, reason: 'test' });
    b.loop.after(1_000, () => undefined);
    await Promise.all([a.runUntil(200), b.runUntil(200)]);
    const starts = (fleet: typeof a.fleet) => fleet.agents.map((agent) => agent.startedAt);
    expect(starts(b.fleet)).toEqual(starts(a.fleet));
    expect(new Set(starts(a.fleet)).size).toBe(3);
  });

  describe('instances hosting several agents (c7i.48xlarge: 6 heavy or 24 light)', () => {
    const big: Partial<SimModel> = {
      ec2: { ...model.ec2, instanceTypes: { heavy: 'c7i.48xlarge', light: 'c7i.48xlarge' } },
      account: { maxVcpus: { heavy: 192 * 4, light: 192 * 4 } },
      batch: { ...model.batch, maxArraySize: 100 },
    };
    const onInstance = (fleet: ReturnType<typeof setup>['fleet'], id: number) => fleet.agents.filter((agent) => agent.instance?.id === id);

    it('fills the free slots of its instances before launching another', async () => {
      const { fleet, runUntil, secondsOf } = setup(big);
      await fleet.start('heavy', 8, { spot: true, reason: 'test' });
      await runUntil(100);
      // Eight agents: six on the first instance, two on a second; launches count instances, not agents.
      expect(fleet.launches().total).toBe(2);
      expect(fleet.instances.map((instance) => instance.agents.length)).toEqual([6, 2]);
      expect(fleet.running('heavy')).toBe(8);
      // Placed while it booted: every agent's container starts when the instance is ready (scheduling 5 s, launch 10 s,
      // boot 20 s, pull 10 s), and each polls 3 s later.
      expect(new Set(onInstance(fleet, 0).map((agent) => secondsOf(agent.startedAt)))).toEqual(new Set([48]));
      // Billed and peak vCPUs are the instances' (2 × 192), not the agents' (8 × 32): idle slots are paid for.
      expect(fleet.billedVcpus('heavy')).toBe(384);
      expect(fleet.peakVcpus('heavy')).toBe(384);

      // A slot freed on a running instance takes the next agent (container start only), rather than a launch.
      fleet.agentExited(onInstance(fleet, 0)[0]!);
      await fleet.start('heavy', 1, { spot: true, reason: 'test' });
      await runUntil(120);
      expect(fleet.launches().total).toBe(2);
      expect(fleet.instances.map((instance) => instance.agents.length)).toEqual([6, 2]);
    });

    it('charges every agent the container start: placed on a new instance, on one still booting, or on one already up', async () => {
      const { fleet, loop, runUntil, secondsOf } = setup(big);
      // The first asks for a new instance: scheduled at 5 s, running at 15 s, ready at 45 s (boot 20 s, pull 10 s).
      await fleet.start('heavy', 1, { spot: true, reason: 'test' });
      // The second is scheduled at 25 s, while that instance boots; the third at 105 s, once it is up.
      loop.at(SIM_EPOCH_MS + 20_000, () => void fleet.start('heavy', 1, { spot: true, reason: 'test' }));
      loop.at(SIM_EPOCH_MS + 100_000, () => void fleet.start('heavy', 1, { spot: true, reason: 'test' }));
      await runUntil(200);
      expect(fleet.launches().total).toBe(1);
      // Each polls 3 s after its container could start: 45 + 3 for the two placed while it booted, 105 + 3 for the third.
      expect(fleet.agents.map((agent) => secondsOf(agent.startedAt))).toEqual([48, 48, 108]);
      // Slot-time starting containers: two slots for 3 s, then one for 3 s.
      expect(fleet.instances[0]!.phaseMs.containerStart).toBe(9_000);
    });

    it('places elsewhere, with no container start charged, a child whose instance was noticed while it booted', async () => {
      const { fleet, loop, runUntil, secondsOf } = setup(big);
      await fleet.start('heavy', 1, { spot: true, reason: 'test' });
      // At 30 s the instance runs (launched at 15 s) but is not ready (45 s): its notice comes before the child starts.
      loop.at(SIM_EPOCH_MS + 30_000, () => void fleet.interruptSpot(1));
      await runUntil(200);
      // At 45 s Batch places the child on a second instance, which takes 43 s to start it (launch 10 s, boot 20 s, pull
      // 10 s, container 3 s): it polls at 88 s, and the noticed instance never started its container.
      expect(fleet.launches().total).toBe(2);
      expect(fleet.instances[0]!.phaseMs.containerStart).toBe(0);
      expect(fleet.agents.map((agent) => [agent.instance?.id, secondsOf(agent.startedAt)])).toEqual([[fleet.instances[1]!.id, 88]]);
    });

    it('places a new agent on the fullest instance with a free slot', async () => {
      const { fleet, runUntil } = setup(big);
      await fleet.start('heavy', 12, { spot: true, reason: 'test' });
      await runUntil(100);
      for (const agent of onInstance(fleet, 0).slice(0, 2)) fleet.agentExited(agent);
      for (const agent of onInstance(fleet, 1).slice(0, 4)) fleet.agentExited(agent);
      await fleet.start('heavy', 1, { spot: true, reason: 'test' });
      await runUntil(120);
      expect(fleet.instances.map((instance) => instance.agents.length)).toEqual([5, 2]);
    });

    it('keeps an instance billed while any agent is on it, and scales it in after its last agent leaves', async () => {
      const { fleet, runUntil, secondsOf, loop } = setup(big);
      await fleet.start('light', 24, { spot: false, reason: 'test' });
      await runUntil(50);
      const [instance] = fleet.instances;
      expect(fleet.instances).toHaveLength(1);
      expect(instance!.slots).toBe(24);
      const agents = onInstance(fleet, 0);
      for (const agent of agents.slice(0, 23)) fleet.agentExited(agent);
      loop.at(SIM_EPOCH_MS + 500_000, () => undefined);
      await runUntil(500);
      // One agent left: the whole instance is still billed, its 23 empty slots with it.
      expect(instance!.terminatedAt).toBe(0);
      expect(fleet.billedVcpus('light')).toBe(192);
      fleet.agentExited(agents[23]!);
      await runUntil(1_000);
      // Last agent out at 500 s: Batch's scale-in delay (30 s here), then the instance goes.
      expect(secondsOf(instance!.terminatedAt)).toBe(530);
      expect(fleet.idle()).toBe(true);
      const [bill] = fleet.bills();
      expect(bill!.billedSeconds).toBe(530 - 15);
      expect(bill!.usd).toBeCloseTo((515 * 8.568) / 3_600, 9);
      // Its slot-time adds up: 24 slots × billed time, split by what each slot held.
      const slotMs = Object.values(instance!.phaseMs).reduce((total, ms) => total + ms, 0);
      expect(slotMs).toBe(24 * 515_000);
    });

    it('a Spot reclaim takes every agent on the instance; the others are untouched', async () => {
      const { fleet, runUntil, noticedIds, killed, secondsOf } = setup(big, true);
      await fleet.start('heavy', 12, { spot: true, reason: 'warm' });
      expect(fleet.instances).toHaveLength(2);
      const noticed = fleet.interruptSpot(0.5);
      expect(noticed).toHaveLength(6);
      const reclaimed = noticed[0]!.instance!;
      expect(noticed.every((agent) => agent.instance === reclaimed)).toBe(true);
      expect(noticedIds.sort()).toEqual(noticed.map((agent) => agent.id).sort());
      // Two finish or hand back their jobs and exit; the four still at it go with the machine two minutes later.
      fleet.agentExited(noticed[0]!);
      fleet.agentExited(noticed[1]!);
      await runUntil(200);
      expect(killed.sort()).toEqual(noticed.slice(2).map((agent) => agent.id).sort());
      expect(secondsOf(reclaimed.terminatedAt)).toBe(120);
      expect(reclaimed.reclaimed).toBe(true);
      expect(fleet.running('heavy')).toBe(6);
    });

    it('kills per agent: an instance with survivors stays up for them; the last one takes the machine', async () => {
      const { fleet, killed, loop } = setup(big, true);
      await fleet.start('heavy', 6, { spot: false, reason: 'warm' });
      const [instance] = fleet.instances;
      const agents = onInstance(fleet, 0);
      fleet.kill(agents.slice(0, 2));
      expect(killed).toHaveLength(2);
      expect(instance!.terminatedAt).toBe(0);
      expect(fleet.running('heavy')).toBe(4);
      fleet.kill(agents.slice(2));
      expect(instance!.terminatedAt).toBe(loop.now);
      expect(fleet.idle()).toBe(true);
    });

    it('packs the warm fleet as tightly: 30 light agents on two instances', async () => {
      const { fleet } = setup(big, true);
      await fleet.start('light', 30, { spot: true, reason: 'warm' });
      expect(fleet.instances.map((instance) => instance.agents.length)).toEqual([24, 6]);
      expect(fleet.running('light')).toBe(30);
    });
  });
});
