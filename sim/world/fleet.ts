import { createSyncInstancePresence } from '../../adapters/embedded/memoryInstancePresence.js';
import type { AgentSummary } from '../../core/agent/runAgent.js';
import type { AgentCapacity } from '../../core/ports/agentCapacity.js';
import type { InstancePresence } from '../../core/ports/instancePresence.js';
import type { Synchronous } from '../../core/ports/synchronous.js';
import { TIERS, type Tier } from '../../core/tiers.js';
import { sample } from '../model/distribution.js';
import { keyedStream } from '../model/stableHash.js';
import type { EventLoop, ScheduledEvent } from '../engine/eventLoop.js';
import { tierInstanceType } from '../model/instanceSlots.js';
import type { SimModel } from '../model/model.js';
import { startupParts } from '../model/startup.js';
import { overlapMs, WHOLE_TIME, type AccountingWindow } from './accountingWindow.js';
import { BatchApiBudget, QueuedTokenBucket } from './rateLimits.js';

/** Where an agent is in its Batch job's life. */
export type AgentState = 'submitted' | 'runnable' | 'launching' | 'running' | 'stopping' | 'exited' | 'killed' | 'cancelled';

/** One Batch array child: one agent, in one of its instance's slots. */
export interface FleetAgent {
  readonly id: string;
  readonly tier: Tier;
  readonly spot: boolean;
  readonly requestedAt: number;
  /** What the job was submitted to do, for jobs that are not agents (the level-walk baseline's proof index). */
  readonly payload: number;
  /** Order of submission: keys the agent's own draws. */
  readonly seq: number;
  /** The SubmitJob it came from (an array job, or a plain job of one). */
  readonly job: BatchJob;
  /** A CancelJob / TerminateJob for it is waiting its turn in the Batch API budget. */
  stopQueued: boolean;
  /** Placements so far (a job reclaimed before starting is placed again). */
  placements: number;
  state: AgentState;
  startedAt: number;
  endedAt: number;
  /** When it was first told to stop (scale-down, cleanup or a Spot notice); 0 if never. */
  stopRequestedAt: number;
  /** Why its loop ended, as the agent said (`AgentSummary.exit`); null until then, or if it was not asked. */
  exit: AgentSummary['exit'] | null;
  instance: Instance | null;
  handle: AgentHandle | null;
}

/** One SubmitJob: an array job's children (or one plain job), and how many of them have not ended. */
export interface BatchJob {
  readonly tier: Tier;
  readonly children: number;
  active: number;
}

/**
 * What an instance's slots do with its billed time: booting and registering with ECS, pulling the image, starting an
 * agent's container (after the pull, or on an instance that already has the image), running an agent, empty beside a
 * starting or running agent (the instance partly used), empty on an instance holding no agent at all (waiting for
 * Batch to scale it in or place another job), or empty after a Spot notice (draining: Batch places nothing more on it).
 */
export type InstancePhase = 'boot' | 'imagePull' | 'containerStart' | 'agent' | 'emptySlot' | 'noAgent' | 'draining';

export const INSTANCE_PHASES: readonly InstancePhase[] = ['boot', 'imagePull', 'containerStart', 'agent', 'emptySlot', 'noAgent', 'draining'];

/**
 * One EC2 instance of a tier's instance type, with `slots` agent slots (the tier's agents its vCPUs and registered
 * memory hold). Batch places agents into free slots, one after another or side by side; the instance is billed as a
 * whole while any slot is used, and until Batch scales it in once the last agent has left.
 */
export interface Instance {
  readonly id: number;
  readonly tier: Tier;
  readonly spot: boolean;
  /** Agents of its tier it hosts at once. */
  readonly slots: number;
  /** Billing starts when the instance is running (or at t = 0 for the warm fleet, billed before by another block). */
  billedFrom: number;
  terminatedAt: number;
  /** The per-instance billing minimum applies to instances this block launched. */
  readonly minimumApplies: boolean;
  /** The agents in its slots: placed (waiting for boot or a container start), running or stopping. */
  readonly agents: FleetAgent[];
  /** Running (billed) and not yet terminated. */
  up: boolean;
  /** Booted, registered with ECS and holding the image: placed agents start. */
  ready: boolean;
  /** Given a Spot notice: Batch places nothing more on it. */
  draining: boolean;
  scaleIn: ScheduledEvent | null;
  /** Idle spells so far: keys each spell's scale-in draw. */
  idleSpells: number;
  /** Billed slot-milliseconds spent in each phase so far (slots × time; up to `accruedAt`; within the fleet's accounting window). */
  readonly phaseMs: Record<InstancePhase, number>;
  accruedAt: number;
  /** Of the time from running to ready, how long booting took (the rest is the image pull). */
  bootMs: number;
  /** EC2 reclaimed it (the end of a Spot notice), rather than Batch terminating it. */
  reclaimed: boolean;
  /** The instance's rank in the leave order (`InstanceOccupancy.rank`): one draw from its own stream. */
  readonly rank: number;
  /** Its agents' announcements (what the host directory holds on AWS). */
  readonly presence: Synchronous<InstancePresence>;
}

/** What the fleet needs from a running agent. */
export interface AgentHandle {
  /** SIGTERM (scale-down, cleanup): the agent hands its job back and exits. */
  stop(reason: string): void;
  /** Spot's interruption notice: the agent takes no new job, finishes the one in hand if it fits (`interruptionVerdict`), and exits. */
  notice(): void;
  /** The machine vanished: the agent stops dead, its job comes back only by visibility timeout. */
  kill(): void;
  /** Proving a job right now. */
  readonly busy: boolean;
}

export interface InstanceBill {
  readonly instance: number;
  readonly tier: Tier;
  readonly spot: boolean;
  readonly billedSeconds: number;
  readonly usd: number;
  /** EC2 interrupted it in its first hour: AWS charges nothing for it (`usd` is 0). */
  readonly waived: boolean;
}

/**
 * AWS charges nothing for a Linux Spot instance that EC2 interrupts in its first hour ("Billing for interrupted Spot
 * Instances", EC2 user guide). Only instances this block launched qualify: the warm fleet's age is unknown (it may
 * have served blocks for hours), so it is billed.
 */
export function interruptionWaived(instance: Instance): boolean {
  return instance.reclaimed && instance.spot && instance.minimumApplies && instance.terminatedAt - instance.billedFrom < 3_600_000;
}

export interface Fleet extends AgentCapacity {
  readonly agents: readonly FleetAgent[];
  readonly instances: readonly Instance[];
  /** One SubmitJob for one job (not an array): how a design without agents runs each proof. */
  submit(tier: Tier, spot: boolean, payload: number): FleetAgent;
  /** One SubmitJob per `maxArraySize` jobs: an array job whose children each run one payload. */
  submitArray(tier: Tier, spot: boolean, payloads: readonly number[]): FleetAgent[];
  /** The runner reports that an agent's loop returned (and why, if it knows). */
  agentExited(agent: FleetAgent, exit?: AgentSummary['exit']): void;
  /** Gives `fraction` of the running Spot instances their 2-minute notice; returns every agent on them. */
  interruptSpot(fraction: number): FleetAgent[];
  /** A uniform sample of `fraction` of the agents running now. */
  chooseRunning(fraction: number): FleetAgent[];
  /**
   * Makes these agents vanish without notice (their jobs come back only by visibility timeout). Per agent: an
   * instance whose every agent vanished goes with them (billing stops at once); one with survivors stays up for them.
   */
  kill(agents: readonly FleetAgent[]): void;
  /** Agents running / starting now, per tier. */
  running(tier: Tier): number;
  starting(tier: Tier): number;
  /** vCPUs of instances billed right now, and the most seen (instances × the instance type's vCPUs, idle slots included). */
  billedVcpus(tier: Tier): number;
  peakVcpus(tier: Tier): number;
  /** True once nothing is left running, starting or billed. */
  idle(): boolean;
  /** One bill per instance (call once every instance is terminated). */
  bills(): InstanceBill[];
  /** Every Batch API call the fleet made, through the account's one budget. */
  readonly batchApi: BatchApiBudget;
  /** EC2 launches: how many, the most in one second, and how long they waited for RunInstances tokens. */
  launches(): LaunchRecord;
  /** The agents told to stop through the Batch API (CancelJob / TerminateJob), per tier. */
  stoppedByApi(tier: Tier): number;
}

export interface LaunchRecord {
  readonly total: number;
  readonly peakPerSecond: number;
  /** Seconds launches waited for a token of EC2's RunInstances bucket, summed and at most. */
  readonly waitedSeconds: number;
  readonly maxWaitSeconds: number;
}

export interface FleetParameters {
  readonly loop: EventLoop;
  readonly model: SimModel;
  /** Seeds every draw: each agent's and instance's own (`keyedStream`), and the fault's choice of victims. */
  readonly seedKey: number;
  /** Starts an agent's loop on its instance. */
  readonly spawn: (agent: FleetAgent) => AgentHandle;
  /** Agents asked for at or before this time are already up (the warm scenario). */
  readonly warmUntil: number;
  /** The time whose slot-time `Instance.phaseMs` counts (all of it by default). */
  readonly accounting?: AccountingWindow;
}

const ACTIVE: readonly AgentState[] = ['running', 'stopping'];
const PENDING: readonly AgentState[] = ['submitted', 'runnable', 'launching'];
const ENDED: readonly AgentState[] = ['exited', 'killed', 'cancelled'];
/** Batch job statuses the adapter lists per queue to count a tier's agents (SUBMITTED … RUNNING). */
const LISTED_STATUSES = 5;
/** Queues per tier the adapter lists (Spot and on-demand). */
const QUEUES_PER_TIER = 2;
/** DescribeJobs takes at most 100 job ids. */
const DESCRIBE_LIMIT = 100;

/**
 * AWS Batch and EC2 as the scaler sees them. Every Batch call the adapter (`adapters/aws/batchAgentCapacity.ts`)
 * would make goes through the account's one Batch API budget: SubmitJob per array job, the ListJobs pages and
 * DescribeJobs of each `count`, and per `stop` the listing plus one CancelJob / TerminateJob per agent (one per array
 * when the whole array goes); a stop takes effect when its call goes out. Each child waits for Batch's scheduler,
 * then takes a free slot on an instance of its tier and market that is up or launching (the fullest first), or a new
 * instance (EC2's RunInstances token bucket, pending, boot and image pull; billed from running) within the tier's
 * maxvCpus, which Batch may pass by one instance (Batch user guide, "Instance type allocation strategies"). Every
 * child, on a new instance or on one already up, pays the container start once its instance is ready, as ECS starts
 * each task's container after the instance registers. Each part is drawn from `startupParts`, the parts `meanStartup`
 * adds up for the launch rate and the cold bound. An instance whose last agent has left is terminated after Batch's
 * scale-in delay unless a new child lands on it first.
 * Spot instances get background reclaims with the 2-minute notice, which reaches every agent on the instance; the
 * scenario adds storms and kills.
 */
export function createFleet({ loop, model, seedKey, spawn, warmUntil, accounting = WHOLE_TIME }: FleetParameters): Fleet {
  const random = keyedStream(seedKey, -1, 0);
  // Draw purposes, so an agent's or instance's draws never overlap.
  const SCHEDULING = 1;
  const CONTAINER = 2;
  const LAUNCH = 3;
  const RECLAIM = 4;
  const SCALE_IN = 5;
  const RANK = 6;
  const agents: FleetAgent[] = [];
  const instances: Instance[] = [];
  const types = perTier((tier) => tierInstanceType(model, tier));
  /** The parts of a start-up, as the launch rate and the cold bound add them up (`meanStartup`). */
  const startup = startupParts(model);
  /** Instances up or launching, not draining, with a free slot, per tier and market. */
  const open = new Map<string, Set<Instance>>();
  const waiting = new Map<Tier, FleetAgent[]>(TIERS.map((tier) => [tier, []]));
  const counts = {
    running: { heavy: 0, light: 0 } as Record<Tier, number>,
    starting: { heavy: 0, light: 0 } as Record<Tier, number>,
    reserved: { heavy: 0, light: 0 } as Record<Tier, number>,
    billed: { heavy: 0, light: 0 } as Record<Tier, number>,
    peak: { heavy: 0, light: 0 } as Record<Tier, number>,
  };
  const batchApi = new BatchApiBudget(model.batch.apiCallsPerSecond);
  const launchBucket = new QueuedTokenBucket(model.ec2.launchBucket.burst, model.ec2.launchBucket.refillPerSecond, loop.now);
  const launchRecord = { total: 0, peakPerSecond: 0, waitedSeconds: 0, maxWaitSeconds: 0 };
  const launchesBySecond = new Map<number, number>();
  /** Top-level Batch jobs (arrays and plain jobs) with a child not yet ended, per tier: what ListJobs pages through. */
  const liveJobs = { heavy: 0, light: 0 } as Record<Tier, number>;
  const liveArrays = { heavy: 0, light: 0 } as Record<Tier, number>;
  const stoppedByApi = { heavy: 0, light: 0 } as Record<Tier, number>;
  let sequence = 0;
  const seconds = (value: number) => value * 1_000;
  const marketKey = (tier: Tier, spot: boolean) => `${tier}/${spot ? 'spot' : 'on-demand'}`;
  // Batch may exceed a compute environment's maxvCpus by one instance, never more.
  const maxInstances = (tier: Tier) => Math.ceil(model.account.maxVcpus[tier] / types[tier].vcpus);
  const openOf = (tier: Tier, spot: boolean) => {
    const key = marketKey(tier, spot);
    let set = open.get(key);
    if (!set) open.set(key, (set = new Set()));
    return set;
  };

  /** Adds the slot-time since the last accrual (inside the accounting window) to each phase, by what the slots hold now (call before any change). */
  const accrue = (instance: Instance) => {
    const since = instance.accruedAt;
    instance.accruedAt = loop.now;
    if (!instance.up || loop.now <= since) return;
    const { phaseMs, slots } = instance;
    const counted = overlapMs(since, loop.now, accounting);
    if (counted <= 0) return;
    if (!instance.ready) {
      const boot = overlapMs(since, Math.min(loop.now, instance.billedFrom + instance.bootMs), accounting);
      phaseMs.boot += boot * slots;
      phaseMs.imagePull += (counted - boot) * slots;
      return;
    }
    let starting = 0;
    let active = 0;
    for (const agent of instance.agents) {
      if (agent.state === 'launching') starting++;
      else if (ACTIVE.includes(agent.state)) active++;
    }
    const empty = slots - starting - active;
    phaseMs.containerStart += counted * starting;
    phaseMs.agent += counted * active;
    phaseMs[instance.draining ? 'draining' : starting + active > 0 ? 'emptySlot' : 'noAgent'] += counted * empty;
  };

  const setState = (agent: FleetAgent, state: AgentState) => {
    if (agent.instance) accrue(agent.instance);
    const was = agent.state;
    if (ENDED.includes(state) && !ENDED.includes(was) && --agent.job.active === 0) {
      liveJobs[agent.tier]--;
      if (agent.job.children > 1) liveArrays[agent.tier]--;
    }
    if (PENDING.includes(was)) counts.starting[agent.tier]--;
    if (was === 'running') counts.running[agent.tier]--;
    agent.state = state;
    if (PENDING.includes(state)) counts.starting[agent.tier]++;
    if (state === 'running') counts.running[agent.tier]++;
  };

  /** Keeps the open set true for this instance: it takes agents while up or launching, not draining, with a slot free. */
  const refreshOpen = (instance: Instance) => {
    const set = openOf(instance.tier, instance.spot);
    if (instance.terminatedAt === 0 && !instance.draining && instance.agents.length < instance.slots) set.add(instance);
    else set.delete(instance);
  };

  const addAgent = (instance: Instance, agent: FleetAgent) => {
    accrue(instance);
    instance.agents.push(agent);
    agent.instance = instance;
    refreshOpen(instance);
  };

  const removeAgent = (instance: Instance, agent: FleetAgent) => {
    accrue(instance);
    const at = instance.agents.indexOf(agent);
    if (at !== -1) instance.agents.splice(at, 1);
    refreshOpen(instance);
  };

  /** The fullest instance of the tier and market with a free slot (oldest first among equals), if any. */
  const takeOpen = (tier: Tier, spot: boolean): Instance | undefined => {
    let best: Instance | undefined;
    for (const instance of openOf(tier, spot)) if (!best || instance.agents.length > best.agents.length) best = instance;
    return best;
  };

  const newInstance = (tier: Tier, spot: boolean, minimumApplies: boolean): Instance => {
    const id = instances.length;
    const rank = keyedStream(seedKey, id, RANK)();
    const instance: Instance = {
      id,
      tier,
      spot,
      slots: types[tier].agents,
      billedFrom: 0,
      terminatedAt: 0,
      minimumApplies,
      agents: [],
      up: false,
      ready: false,
      draining: false,
      scaleIn: null,
      idleSpells: 0,
      phaseMs: { boot: 0, imagePull: 0, containerStart: 0, agent: 0, emptySlot: 0, noAgent: 0, draining: 0 },
      accruedAt: 0,
      bootMs: 0,
      reclaimed: false,
      rank,
      presence: createSyncInstancePresence({ slots: types[tier].agents, rank }),
    };
    instances.push(instance);
    counts.reserved[tier]++;
    return instance;
  };

  const bringUp = (instance: Instance) => {
    instance.up = true;
    instance.billedFrom = loop.now;
    instance.accruedAt = loop.now;
    counts.billed[instance.tier]++;
    counts.peak[instance.tier] = Math.max(counts.peak[instance.tier], counts.billed[instance.tier]);
    const rate = model.spot.interruptionsPerInstanceHour;
    if (instance.spot && rate > 0) {
      const after = (-Math.log(1 - keyedStream(seedKey, instance.id, RECLAIM)()) / rate) * 3_600;
      loop.after(seconds(after), () => notice(instance));
    }
  };

  const terminate = (instance: Instance) => {
    if (instance.terminatedAt > 0) return;
    if (instance.scaleIn) instance.scaleIn.cancelled = true;
    accrue(instance);
    instance.terminatedAt = loop.now;
    counts.reserved[instance.tier]--;
    if (instance.up) counts.billed[instance.tier]--;
    instance.up = false;
    refreshOpen(instance);
    placeWaiting(instance.tier);
  };

  const startAgent = (agent: FleetAgent, instance: Instance) => {
    if (agent.state === 'cancelled') {
      removeAgent(instance, agent);
      afterLeave(instance);
      return;
    }
    if (instance.terminatedAt > 0 || instance.draining) {
      // Reclaimed, or given its notice, before the container started: Batch places the job again elsewhere.
      removeAgent(instance, agent);
      agent.instance = null;
      place(agent);
      return;
    }
    agent.startedAt = loop.now;
    setState(agent, 'running');
    agent.handle = spawn(agent);
  };

  /** A slot came free: a waiting child takes it, or, once the instance is empty, Batch's scale-in delay starts. */
  const afterLeave = (instance: Instance) => {
    if (instance.terminatedAt > 0 || instance.draining) return;
    while (instance.agents.length < instance.slots) {
      const next = takeWaiting(instance.tier, instance.spot);
      if (!next) break;
      land(next, instance);
    }
    if (instance.agents.length > 0 || instance.scaleIn) return;
    const draw = keyedStream(seedKey, instance.id, SCALE_IN * 1_000 + instance.idleSpells++);
    instance.scaleIn = loop.after(seconds(sample(model.ec2.scaleInSeconds, draw)), () => {
      instance.scaleIn = null;
      if (instance.agents.length === 0) terminate(instance);
    });
  };

  /**
   * ECS starts a placed child's container on a ready instance (booted, registered, holding the image), whether it was
   * placed there while the instance booted or landed on it since: every agent pays the container start.
   */
  const startContainer = (agent: FleetAgent, instance: Instance) => {
    const draw = keyedStream(seedKey, agent.seq, CONTAINER * 1_000 + agent.placements++);
    loop.after(seconds(sample(startup.containerStart, draw)), () => startAgent(agent, instance));
  };

  /** A child placed in a free slot of an instance that is up or launching: its container starts once the instance is ready. */
  const land = (agent: FleetAgent, instance: Instance) => {
    if (instance.scaleIn) instance.scaleIn.cancelled = true;
    instance.scaleIn = null;
    addAgent(instance, agent);
    setState(agent, 'launching');
    if (instance.ready) startContainer(agent, instance);
  };

  const takeWaiting = (tier: Tier, spot: boolean): FleetAgent | undefined => {
    const queue = waiting.get(tier)!;
    const at = queue.findIndex((agent) => agent.spot === spot && agent.state === 'runnable');
    return at === -1 ? undefined : queue.splice(at, 1)[0];
  };

  const placeWaiting = (tier: Tier) => {
    const queue = waiting.get(tier)!;
    while (queue.length > 0 && counts.reserved[tier] < maxInstances(tier)) {
      const agent = queue.shift()!;
      if (agent.state === 'runnable') place(agent);
    }
  };

  /** Batch has a runnable child: a free slot, a new instance within maxvCpus, or wait for room. */
  const place = (agent: FleetAgent) => {
    if (agent.state === 'cancelled') return;
    setState(agent, 'runnable');
    const free = takeOpen(agent.tier, agent.spot);
    if (free) {
      land(agent, free);
      return;
    }
    if (counts.reserved[agent.tier] >= maxInstances(agent.tier)) {
      waiting.get(agent.tier)!.push(agent);
      return;
    }
    const instance = newInstance(agent.tier, agent.spot, true);
    addAgent(instance, agent);
    setState(agent, 'launching');
    const launchAt = launchBucket.reserve(loop.now);
    const waited = (launchAt - loop.now) / 1_000;
    launchRecord.total++;
    launchRecord.waitedSeconds += waited;
    launchRecord.maxWaitSeconds = Math.max(launchRecord.maxWaitSeconds, waited);
    const second = Math.floor(launchAt / 1_000);
    const inSecond = (launchesBySecond.get(second) ?? 0) + 1;
    launchesBySecond.set(second, inSecond);
    launchRecord.peakPerSecond = Math.max(launchRecord.peakPerSecond, inSecond);
    const draw = keyedStream(seedKey, instance.id, LAUNCH);
    loop.at(launchAt + seconds(sample(startup.pending, draw)), () => {
      bringUp(instance);
      instance.bootMs = seconds(sample(startup.boot, draw));
      const readyAfter = instance.bootMs + seconds(sample(startup.imagePull, draw));
      loop.after(readyAfter, () => {
        accrue(instance);
        instance.ready = true;
        // The image is pulled once for every child placed while it booted; each one's container starts now. A
        // cancelled child just leaves its slot; on an instance noticed or gone meanwhile, Batch places it elsewhere.
        const gone = instance.draining || instance.terminatedAt > 0;
        for (const placed of [...instance.agents]) {
          if (placed.state === 'cancelled' || (gone && placed.state === 'launching')) startAgent(placed, instance);
          else if (placed.state === 'launching') startContainer(placed, instance);
        }
        if (instance.agents.length === 0) afterLeave(instance);
      });
    });
  };

  const newJob = (tier: Tier, children: number): BatchJob => {
    liveJobs[tier]++;
    if (children > 1) liveArrays[tier]++;
    return { tier, children, active: children };
  };

  const request = (tier: Tier, spot: boolean, payload: number, job: BatchJob): FleetAgent => {
    const agent: FleetAgent = {
      id: `${tier}-${sequence}`,
      tier,
      spot,
      requestedAt: loop.now,
      payload,
      seq: sequence++,
      job,
      stopQueued: false,
      placements: 0,
      state: 'submitted',
      startedAt: 0,
      endedAt: 0,
      stopRequestedAt: 0,
      exit: null,
      instance: null,
      handle: null,
    };
    counts.starting[tier]++;
    agents.push(agent);
    return agent;
  };

  /** One SubmitJob call (an array job or a single one), through the account's Batch API budget. */
  const submitJob = (children: readonly FleetAgent[]) => {
    const submitAt = batchApi.call('SubmitJob', loop.now);
    for (const agent of children) {
      const draw = keyedStream(seedKey, agent.seq, SCHEDULING);
      loop.at(submitAt + seconds(sample(startup.scheduling, draw)), () => place(agent));
    }
  };

  /**
   * An agent already up at t = 0, in a free slot of the warm fleet or on a new warm instance: that instance was
   * launched for this work before t = 0, so it is billed from its own start (boot, image pull and container start
   * drawn as for any launch, for every slot), with the billing minimum; whoever asked for it, someone pays for it.
   */
  const startWarm = (agent: FleetAgent) => {
    const free = takeOpen(agent.tier, agent.spot);
    if (free) {
      addAgent(free, agent);
      startAgent(agent, free);
      return;
    }
    const instance = newInstance(agent.tier, agent.spot, true);
    const draw = keyedStream(seedKey, instance.id, LAUNCH);
    const bootMs = seconds(sample(startup.boot, draw));
    const pullMs = seconds(sample(startup.imagePull, draw));
    const containerMs = seconds(sample(startup.containerStart, draw));
    bringUp(instance);
    instance.ready = true;
    instance.billedFrom = loop.now - bootMs - pullMs - containerMs;
    instance.bootMs = bootMs;
    const { billedFrom, slots } = instance;
    instance.phaseMs.boot = overlapMs(billedFrom, billedFrom + bootMs, accounting) * slots;
    instance.phaseMs.imagePull = overlapMs(billedFrom + bootMs, billedFrom + bootMs + pullMs, accounting) * slots;
    instance.phaseMs.containerStart = overlapMs(billedFrom + bootMs + pullMs, loop.now, accounting) * slots;
    addAgent(instance, agent);
    startAgent(agent, instance);
  };

  /** What `count` costs the adapter: ListJobs per queue and status (more pages past 100 jobs), DescribeJobs per 100 arrays. */
  const chargeListing = (tier: Tier) => {
    const pages = QUEUES_PER_TIER * LISTED_STATUSES + Math.max(0, Math.ceil(liveJobs[tier] / model.batch.listJobsPageSize) - 1);
    for (let i = 0; i < pages; i++) batchApi.call('ListJobs', loop.now);
    for (let i = 0; i < Math.ceil(liveArrays[tier] / DESCRIBE_LIMIT); i++) batchApi.call('DescribeJobs', loop.now);
  };

  /** The stop reaches the agent when its call goes out: cancelled if it has not started, SIGTERM if it runs. */
  const stopAt = (agent: FleetAgent, at: number) => {
    agent.stopQueued = true;
    loop.at(at, () => {
      if (PENDING.includes(agent.state)) {
        setState(agent, 'cancelled');
        stoppedByApi[agent.tier]++;
      } else if (agent.state === 'running') {
        setState(agent, 'stopping');
        agent.stopRequestedAt = loop.now;
        agent.handle?.stop('scaled down');
        stoppedByApi[agent.tier]++;
      }
    });
  };

  /** EC2's two-minute notice: every agent on the instance is told of it; at the end the machine goes with any left. */
  const notice = (instance: Instance) => {
    if (instance.terminatedAt > 0 || instance.draining || !instance.up) return;
    accrue(instance);
    instance.draining = true;
    refreshOpen(instance);
    for (const agent of [...instance.agents]) {
      if (agent.state !== 'running') continue;
      setState(agent, 'stopping');
      agent.stopRequestedAt = loop.now;
      agent.handle?.notice();
    }
    loop.after(seconds(model.spot.noticeSeconds), () => {
      for (const holder of [...instance.agents]) if (ACTIVE.includes(holder.state)) vanish(holder);
      instance.reclaimed = instance.terminatedAt === 0;
      terminate(instance);
    });
  };

  const vanish = (agent: FleetAgent) => {
    setState(agent, 'killed');
    agent.endedAt = loop.now;
    agent.handle?.kill();
    if (agent.instance) removeAgent(agent.instance, agent);
  };

  const pick = <T>(from: T[], fraction: number): T[] => {
    // A partial Fisher–Yates shuffle: the first `count` are a uniform sample.
    const count = Math.round(from.length * fraction);
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(random() * (from.length - i));
      [from[i], from[j]] = [from[j]!, from[i]!];
    }
    return from.slice(0, count);
  };

  return {
    agents,
    instances,
    async count(tier) {
      chargeListing(tier);
      return { running: counts.running[tier], starting: counts.starting[tier] };
    },
    async start(tier, count, { spot }) {
      if (loop.now <= warmUntil) {
        for (let i = 0; i < count; i++) startWarm(request(tier, spot, -1, newJob(tier, 1)));
        return;
      }
      for (let first = 0; first < count; first += model.batch.maxArraySize) {
        const size = Math.min(model.batch.maxArraySize, count - first);
        const job = newJob(tier, size);
        submitJob(Array.from({ length: size }, () => request(tier, spot, -1, job)));
      }
    },
    submit(tier, spot, payload) {
      const agent = request(tier, spot, payload, newJob(tier, 1));
      submitJob([agent]);
      return agent;
    },
    submitArray(tier, spot, payloads) {
      const submitted: FleetAgent[] = [];
      for (let first = 0; first < payloads.length; first += model.batch.maxArraySize) {
        const chunk = payloads.slice(first, first + model.batch.maxArraySize);
        const job = newJob(tier, chunk.length);
        const children = chunk.map((payload) => request(tier, spot, payload, job));
        submitJob(children);
        submitted.push(...children);
      }
      return submitted;
    },
    async stop(tier, count) {
      // As the adapter does: list the tier's jobs, then stop children not running yet first (newest first), then idle
      // agents, then busy ones; one call per agent, or one for a whole array whose every active child goes.
      chargeListing(tier);
      const chosen: FleetAgent[] = [];
      for (let i = agents.length - 1; i >= 0 && chosen.length < count; i--) {
        const agent = agents[i]!;
        if (agent.tier === tier && !agent.stopQueued && PENDING.includes(agent.state)) chosen.push(agent);
      }
      const running = agents.filter((agent) => agent.tier === tier && !agent.stopQueued && agent.state === 'running');
      running.sort((a, b) => Number(a.handle?.busy) - Number(b.handle?.busy));
      chosen.push(...running.slice(0, count - chosen.length));
      const byJob = new Map<BatchJob, FleetAgent[]>();
      for (const agent of chosen) byJob.set(agent.job, [...(byJob.get(agent.job) ?? []), agent]);
      for (const [job, members] of byJob) {
        if (job.children > 1 && members.length === job.active) {
          const at = batchApi.call('TerminateJob', loop.now);
          for (const agent of members) stopAt(agent, at);
          continue;
        }
        if (job.children > 1) {
          // The children to stop are found by listing the array's children per status, 100 a page.
          for (let i = 0; i < Math.ceil(job.active / model.batch.listJobsPageSize); i++) batchApi.call('ListJobs', loop.now);
        }
        for (const agent of members) stopAt(agent, batchApi.call(PENDING.includes(agent.state) ? 'CancelJob' : 'TerminateJob', loop.now));
      }
    },
    agentExited(agent, exit) {
      if (agent.state === 'killed') return;
      agent.exit = exit ?? null;
      setState(agent, 'exited');
      agent.endedAt = loop.now;
      const instance = agent.instance;
      if (!instance) return;
      removeAgent(instance, agent);
      afterLeave(instance);
    },
    interruptSpot(fraction) {
      const candidates = instances.filter((instance) => instance.spot && instance.up && !instance.draining);
      const chosen = pick(candidates, fraction);
      const affected = chosen.flatMap((instance) => [...instance.agents]);
      for (const instance of chosen) notice(instance);
      return affected;
    },
    chooseRunning: (fraction) =>
      pick(
        agents.filter((agent) => ACTIVE.includes(agent.state)),
        fraction,
      ),
    kill(chosen) {
      for (const agent of chosen) {
        if (!ACTIVE.includes(agent.state)) continue;
        const instance = agent.instance;
        vanish(agent);
        if (!instance) continue;
        if (instance.agents.length === 0) terminate(instance);
        else afterLeave(instance);
      }
    },
    running: (tier) => counts.running[tier],
    starting: (tier) => counts.starting[tier],
    billedVcpus: (tier) => counts.billed[tier] * types[tier].vcpus,
    peakVcpus: (tier) => counts.peak[tier] * types[tier].vcpus,
    idle: () => TIERS.every((tier) => counts.reserved[tier] === 0 && counts.starting[tier] === 0 && counts.running[tier] === 0),
    batchApi,
    launches: () => ({ ...launchRecord }),
    stoppedByApi: (tier) => stoppedByApi[tier],
    bills() {
      return instances
        .filter((instance) => instance.billedFrom > 0)
        .map((instance) => {
          const raw = Math.max(0, (instance.terminatedAt || loop.now) - instance.billedFrom) / 1_000;
          const billedSeconds = instance.minimumApplies ? Math.max(raw, model.ec2.billingMinimumSeconds) : raw;
          const price = types[instance.tier].usdPerHour;
          const waived = interruptionWaived(instance);
          const usd = waived ? 0 : (billedSeconds * (instance.spot ? price.spot : price.onDemand)) / 3_600;
          return { instance: instance.id, tier: instance.tier, spot: instance.spot, billedSeconds, usd, waived };
        });
    },
  };
}

function perTier<T>(value: (tier: Tier) => T): Record<Tier, T> {
  return { heavy: value('heavy'), light: value('light') };
}
