import { createMemoryFleetTargets, createSyncFleetTargets } from '../../adapters/embedded/memoryFleetTargets.js';
import { createScalerMemory } from '../../core/scale/scalerMemory.js';
import { encodeBlockBodyBytes } from '../../core/body/encodeBlockBody.js';
import { parsePublicCallSpec } from '../../core/body/publicCallSpec.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { enqueueReadyLeaves } from '../../core/jobs/enqueueReadyJobs.js';
import type { BlockPlan } from '../../core/plan/blockPlan.js';
import { planBlock } from '../../core/plan/planBlock.js';
import { silentLogger, type Logger } from '../../core/ports/logger.js';
import { getCircuitProfile } from '../../core/profiles/getCircuitProfile.js';
import { seededRandom } from '../../core/random/seededRandom.js';
import { recordRootProven } from '../../core/run/recordRootProven.js';
import { releaseCapacityIfIdle } from '../../core/run/releaseCapacityIfIdle.js';
import { rescaleRuns } from '../../core/run/rescaleRuns.js';
import type { RunDependencies } from '../../core/run/runDependencies.js';
import type { RunContexts } from '../../core/run/runContexts.js';
import type { PublishedTarget } from '../../core/ports/fleetTargets.js';
import type { LaunchRate } from '../../core/scale/launchRate.js';
import { TIER_SHAPES, TIERS, type Tier } from '../../core/tiers.js';
import { SimulationFault } from '../errors/index.js';
import type { SimModel } from '../model/model.js';
import { maxAgentsOf } from '../model/scalerSettings.js';
import { simLaunchRate } from '../model/simLaunchRate.js';
import { hashText } from '../model/stableHash.js';
import { drawTxs, meanTxs, type TxsMix } from '../model/txsMix.js';
import { controlPlaneCostUsd, emptyControlPlaneCounts } from '../world/controlPlaneMeter.js';
import { delayedPort } from '../world/delayedPort.js';
import { createFleet, type Fleet, type Instance } from '../world/fleet.js';
import { createSimArtifacts, simArtifactPort } from '../world/simArtifacts.js';
import { createSimJobStore } from '../world/simJobStore.js';
import { simQueuePort } from '../world/simQueuePort.js';
import { createSimWorkQueue } from '../world/simWorkQueue.js';
import { virtualClock } from '../world/virtualClock.js';
import { EventLoop, SIM_EPOCH_MS } from './eventLoop.js';
import { fastAgentRunner } from './fastAgentRunner.js';
import { ProofLedger } from './proofLedger.js';
import { chainAt, recordingCompletions, runRecord, settingsFor } from './runWiring.js';
import { simRunOf, type SimRun, type SimWorld } from './simWorld.js';

/** A fault struck in the middle of the stream. */
export type StreamFault = 'kill-30' | 'spot-storm';

/** Whether a revealed block is taken on: the quote the firm gives (or refuses) at reveal. */
export type StreamQuote = (block: RevealedBlock, now: StreamQuoteContext) => { readonly quote: true } | { readonly quote: false; readonly why: string };

export interface RevealedBlock {
  readonly index: number;
  readonly txs: number;
  readonly plan: BlockPlan;
  /** Seconds after reveal by which the root must be proven. */
  readonly deadlineSeconds: number;
  /** L1 seconds of its reveal (its run starts at once). */
  readonly revealedAt: number;
}

export interface StreamQuoteContext {
  /** Seconds since the stream started. */
  readonly seconds: number;
  /** L1 time, as the runs' deadlines are written. */
  readonly l1Seconds: number;
  /** Blocks committed and not yet proven or past their deadline. */
  readonly live: readonly RevealedBlock[];
  /** The targets the scaler last published per tier (with the live runs' remaining work), as the quote service reads them. */
  readonly published: Readonly<Record<Tier, PublishedTarget | null>>;
  /** The quota per tier, in agents. */
  readonly quotaAgents: Readonly<Record<Tier, number>>;
  /** How fast the simulated AWS brings up agents (its EC2 bucket, instance types and start-up time). */
  readonly launchRate: LaunchRate;
}

/** The quote the stream uses until a capacity-aware one is given: every block is taken on. */
export const QUOTE_EVERY_BLOCK: StreamQuote = () => ({ quote: true });

export interface StreamParameters {
  readonly profile: string;
  readonly publicCalls: string;
  readonly txs: TxsMix;
  readonly blocks: number;
  /** A block is revealed every slot (Fernet yields one per slot). */
  readonly slotSeconds: number;
  /** Each block's proving deadline is this multiple of its critical path after its reveal. */
  readonly deadlineFactor: number;
  /** The model; `account.maxVcpus` is the per-tier quota the one shared fleet lives under. */
  readonly model: SimModel;
  readonly seed: string;
  readonly fault: StreamFault | null;
  /** A standing fleet at t = 0 (the firm has been proving); cold starts from no instance at all. */
  readonly warm: boolean;
  readonly quote?: StreamQuote;
  /** Names the quote in the report. */
  readonly quoteName?: string;
  readonly log?: Logger;
}

export interface StreamBlock {
  readonly index: number;
  readonly txs: number;
  readonly jobs: number;
  readonly revealedAtSeconds: number;
  readonly criticalPathSeconds: number;
  readonly deadlineSeconds: number;
  readonly committed: boolean;
  readonly refusedWhy: string | null;
  /** Seconds from reveal to root proof; null when it never came (or the block was refused). */
  readonly makespanSeconds: number | null;
  readonly onTime: boolean;
}

export interface Quantiles {
  readonly p50: number | null;
  readonly p95: number | null;
  readonly max: number | null;
}

export interface StreamOutcome {
  readonly parameters: {
    readonly profile: string;
    readonly publicCalls: string;
    readonly txs: TxsMix;
    readonly blocks: number;
    readonly slotSeconds: number;
    readonly deadlineFactor: number;
    readonly quota: Readonly<Record<Tier, number>>;
    readonly seed: string;
    readonly fault: StreamFault | null;
    readonly warm: boolean;
    readonly quote: string;
  };
  readonly blocks: { readonly revealed: number; readonly quoted: number; readonly refused: number; readonly proven: number; readonly missed: number };
  readonly perBlock: readonly StreamBlock[];
  readonly makespanOverCriticalPath: Quantiles;
  /** Compute bill over the lower bound (job-seconds of first proofs × the tier's cheapest price), whole stream. */
  readonly computeOverLowerBound: number;
  readonly compute: {
    readonly usd: number;
    readonly lowerBoundUsd: number;
    readonly perBlockUsd: number;
    readonly perTxUsd: number;
    readonly lowerBoundPerTxUsd: number;
    /** Between the reveal of the first fifth's last block and the last reveal: no warm-up, no drain. */
    readonly steadyState: { readonly fromSeconds: number; readonly toSeconds: number; readonly usd: number; readonly lowerBoundUsd: number; readonly ratio: number };
  };
  readonly controlPlaneUsd: number;
  /** Control plane over compute. */
  readonly controlPlaneShare: number;
  /** Proving seconds (every attempt) over billed instance seconds, in the steady window. */
  readonly fleetUtilisation: Readonly<Record<Tier, number>> & { readonly overall: number };
  readonly peakBatchApiTps: number;
  readonly batchApiCalls: Readonly<Record<string, number>>;
  readonly peakLaunchesPerSecond: number;
  readonly launches: {
    readonly total: number;
    readonly bucket: { readonly burst: number; readonly refillPerSecond: number };
    readonly waitedSeconds: number;
    readonly maxWaitSeconds: number;
  };
  readonly agents: {
    readonly started: number;
    readonly stopped: number;
    readonly exitedByThemselves: number;
    readonly startedPerBlock: number;
    readonly stoppedPerBlock: number;
  };
  readonly peakVcpus: Readonly<Record<Tier, number>>;
  readonly standingFleet: Readonly<Record<Tier, number>>;
  readonly throughput: { readonly provenTxs: number; readonly txsPerSecond: number; readonly offeredTxsPerSecond: number };
  readonly fault: { readonly kind: StreamFault; readonly atSeconds: number; readonly recoverySeconds: number | null } | null;
  readonly simulatedSeconds: number;
  readonly eventsFired: number;
  readonly wallMs: number;
}

const SECOND = 1_000;

/**
 * A firm's real workload: a block revealed every slot, sizes drawn from a mix, each with its own deadline, all
 * proven by ONE fleet per tier under the account's quota, sized by the real scaler (`rescaleRuns` over every live
 * run) and run by agents that execute the core's job rules. Each revealed block is quoted (or refused) at reveal;
 * a committed block is planned and its leaves enqueued at once; its root ends its run; a block past its deadline is
 * abandoned. After the last block the real cleanup stops the fleet, and the stream ends when the last instance is
 * terminated, so the bill is complete. Submission to L1 is not modelled.
 */
export async function simulateStream(parameters: StreamParameters): Promise<StreamOutcome> {
  const wallStarted = performance.now();
  const { model, seed, slotSeconds } = parameters;
  const profile = getCircuitProfile(parameters.profile);
  const publicCalls = parsePublicCallSpec(parameters.publicCalls);
  const quote = parameters.quote ?? QUOTE_EVERY_BLOCK;
  const loop = new EventLoop();
  const T0 = SIM_EPOCH_MS;
  const counts = emptyControlPlaneCounts();
  const ledger = new ProofLedger(false, () => loop.now);
  const store = recordingCompletions(createSimJobStore(counts), ledger, loop);
  const queue = createSimWorkQueue(loop, model.queue.maxReceiveCount, counts);
  const artifacts = createSimArtifacts(counts);
  const clock = virtualClock(loop);
  const syncPorts = { store: delayedPort(store), queue: simQueuePort(queue, clock), artifacts: simArtifactPort(artifacts, noWait, noWait) };
  const runs = new Map<string, SimRun>();
  const roots = new Map<string, number>();
  let fault: unknown = null;
  let fleet: Fleet | null = null;

  const targets = createSyncFleetTargets();
  const world: SimWorld = {
    loop,
    model,
    targets,
    seed,
    seedKey: hashText(seed),
    store,
    queue,
    artifacts,
    counts,
    attempts: new Map(),
    ledger,
    fleet: () => fleet!,
    runOf: (runId) => runs.get(runId)!,
    async rootProven(runId, digest) {
      if (!roots.has(runId)) roots.set(runId, loop.now);
      await recordRootProven(syncPorts.store, runId, digest, loop.now);
    },
    async failed() {
      // A job failed for good: its run cannot finish and will be missed at its deadline.
    },
    crashed(error) {
      fault ??= error;
    },
  };
  fleet = createFleet({ loop, model, seedKey: hashText(`${seed}/fleet`), spawn: fastAgentRunner(world), warmUntil: parameters.warm ? T0 : -Infinity });

  const contexts: RunContexts = { get: async (id) => ({ run: store.getRun(id)!, plan: runs.get(id)!.plan }) };
  const runDeps: RunDependencies = {
    store: syncPorts.store,
    queue: syncPorts.queue,
    artifacts: syncPorts.artifacts,
    capacity: fleet,
    chain: chainAt(() => loop.now),
    clock,
    log: parameters.log ?? silentLogger,
    runs: contexts,
    stateRoots: async () => {
      throw new Error('state roots are not modelled');
    },
    targets: createMemoryFleetTargets(targets),
    scaler: createScalerMemory(),
  };
  const runSettings = settingsFor(model, profile.name);

  // The blocks: sizes drawn from the mix, each body its own (distinct tx hashes), revealed one per slot.
  const sizes = seededRandom(`${seed}/stream-sizes`);
  const blockTxs = Array.from({ length: parameters.blocks }, () => drawTxs(parameters.txs, sizes));
  const records: (StreamBlock & { plan: BlockPlan | null })[] = [];
  const live = new Map<string, RevealedBlock>();

  // The fleet left standing by the blocks before this stream: the mix's mean work per slot, per tier.
  const standing = standingFleetFor(parameters, model);
  const launchRate = simLaunchRate(model);
  if (parameters.warm) {
    for (const tier of TIERS) if (standing[tier] > 0) await fleet.start(tier, standing[tier], { spot: true, reason: 'standing fleet' });
    // What the scaler last published for the blocks before the stream: the standing fleet, running, no work left.
    for (const tier of TIERS) {
      const agents = standing[tier];
      const zero = { leftAtCount: 0, leftBefore: 0, aboveSince: null, work: [], publishedAt: T0 - 1 };
      targets.put(tier, { agents, observed: agents, running: agents, quotaAgents: maxAgentsOf(model)[tier], ...zero });
    }
  }

  let revealed = 0;
  const reveal = async (index: number) => {
    const txs = blockTxs[index]!;
    const runId = `block-${index}`;
    const plan = planBlock(syntheticBlockBody({ txs, publicCalls, seed: `${seed}/${runId}` }), profile, { blockId: runId, trusted: true });
    const deadlineSeconds = parameters.deadlineFactor * plan.criticalPathSeconds;
    const block: RevealedBlock = { index, txs, plan, deadlineSeconds, revealedAt: loop.now / SECOND };
    const answer = quote(block, {
      seconds: (loop.now - T0) / SECOND,
      l1Seconds: Math.floor(loop.now / SECOND),
      live: [...live.values()],
      published: perTier((tier) => targets.get(tier)),
      quotaAgents: maxAgentsOf(model),
      launchRate,
    });
    revealed++;
    const base = {
      index,
      txs,
      jobs: plan.size,
      revealedAtSeconds: (loop.now - T0) / SECOND,
      criticalPathSeconds: plan.criticalPathSeconds,
      deadlineSeconds,
      makespanSeconds: null,
      onTime: false,
    };
    if (!answer.quote) {
      records[index] = { ...base, committed: false, refusedWhy: answer.why, plan: null };
      return;
    }
    records[index] = { ...base, committed: true, refusedWhy: null, plan };
    live.set(runId, block);
    const bodyDigest = artifacts.put(encodeBlockBodyBytes(plan.body));
    counts.s3Puts--; // the planner's body upload is counted with the planner below
    runs.set(runId, simRunOf(plan, bodyDigest));
    store.createRun(runRecord(plan, bodyDigest, loop.now, deadlineSeconds));
    counts.lambdaInvocations++;
    counts.lambdaSeconds += model.controlPlane.plannerLambdaSeconds;
    counts.stepFunctionTransitions += model.controlPlane.runTransitions;
    await enqueueReadyLeaves(syncPorts.queue, plan);
    loop.at(loop.now + deadlineSeconds * SECOND, () => {
      if (roots.has(runId)) return;
      // Past its deadline: the run is abandoned (the driver's deadline rule); agents skip what is left of it.
      store.transitionRun(runId, ['provisioning', 'proving'], 'abandoned', { stateReason: 'proving deadline passed' }, loop.now);
      live.delete(runId);
    });
  };
  for (let index = 0; index < parameters.blocks; index++) loop.at(T0 + index * slotSeconds * SECOND, () => reveal(index));

  // Each live run's Step Functions loop ticks the scaler; the simulation runs it once per tick for all of them and
  // counts every run's invocation. The scaler Lambda awaits its own Batch calls, so a tick that queued many
  // ends only when the last went out.
  let released = false;
  const allRevealed = () => revealed === parameters.blocks;
  const tick = async () => {
    for (const [runId] of live) {
      if (!roots.has(runId)) continue;
      store.transitionRun(runId, ['submitting'], 'settled', {}, loop.now);
      live.delete(runId);
    }
    const ticking = Math.max(1, live.size);
    counts.lambdaInvocations += ticking;
    counts.lambdaSeconds += ticking * model.controlPlane.scalerLambdaSeconds;
    counts.stepFunctionTransitions += ticking * model.controlPlane.transitionsPerTick;
    if (allRevealed() && live.size === 0) {
      released = await releaseCapacityIfIdle(runDeps);
      if (released) return;
    } else {
      await rescaleRuns(runDeps, runSettings);
    }
    loop.at(Math.max(loop.now + model.scaling.tickSeconds * SECOND, fleet.batchApi.idleAt), tick);
  };
  loop.at(T0, tick);

  // The steady window: from the reveal that ends the first fifth of the stream to the last reveal.
  const windowFrom = T0 + Math.floor(parameters.blocks / 5) * slotSeconds * SECOND;
  const windowTo = T0 + Math.max(1, parameters.blocks - 1) * slotSeconds * SECOND;
  const snapshots: { needed: Record<Tier, number>; proving: Record<Tier, number> }[] = [];
  const snapshot = () => {
    snapshots.push({ needed: { ...ledger.neededSeconds }, proving: { ...ledger.provingSeconds } });
  };
  loop.at(windowFrom, snapshot);
  loop.at(windowTo, snapshot);

  let faultAt: number | null = null;
  if (parameters.fault) {
    const kind = parameters.fault;
    const { atSeconds, fraction } = kind === 'kill-30' ? model.faults.kill : model.faults.spotStorm;
    // Mid-stream, when the fleet has settled: `atSeconds` after the middle block's reveal.
    loop.at(T0 + (Math.floor(parameters.blocks / 2) * slotSeconds + atSeconds) * SECOND, () => {
      faultAt = loop.now;
      const chosen = kind === 'kill-30' ? fleet.chooseRunning(fraction) : fleet.interruptSpot(fraction);
      ledger.watch(chosen.map((agent) => ledger.current(agent.id)).filter((job): job is string => job !== undefined));
      if (kind === 'kill-30') fleet.kill(chosen);
    });
  }

  const lastDeadline = T0 + (parameters.blocks * slotSeconds + parameters.deadlineFactor * maxCriticalPath(parameters, profile.name)) * SECOND;
  await loop.run({
    until: () => fault !== null || (released && fleet.idle()),
    limitMs: lastDeadline + 3_600 * SECOND,
    settleEveryEvent: false,
  });
  if (fault !== null) throw new SimulationFault(fault);

  const perBlock: StreamBlock[] = records.map(({ plan: _plan, ...record }) => {
    const root = roots.get(`block-${record.index}`);
    if (!record.committed || root === undefined) return record;
    const makespanSeconds = (root - T0) / SECOND - record.revealedAtSeconds;
    return { ...record, makespanSeconds, onTime: makespanSeconds <= record.deadlineSeconds };
  });
  const committed = perBlock.filter((block) => block.committed);
  const proven = committed.filter((block) => block.onTime);
  const ratios = committed.filter((block) => block.makespanSeconds !== null).map((block) => block.makespanSeconds! / block.criticalPathSeconds);

  const bills = fleet.bills();
  const computeUsd = sum(bills.map((bill) => bill.usd));
  const cheapest = (tier: Tier) => Math.min(model.ec2.usdPerHour[tier].spot, model.ec2.usdPerHour[tier].onDemand) / 3_600;
  const lowerBoundUsd = sum(TIERS.map((tier) => ledger.neededSeconds[tier] * cheapest(tier)));
  const controlPlane = sum(Object.values(controlPlaneCostUsd(counts, model)));
  const [from, to] = snapshots.length === 2 ? snapshots : [null, null];
  const windowUsd = windowBill(fleet.instances, model, windowFrom, windowTo, loop.now);
  const windowLowerBound = from && to ? sum(TIERS.map((tier) => (to.needed[tier] - from.needed[tier]) * cheapest(tier))) : 0;
  const windowBilledSeconds = windowInstanceSeconds(fleet.instances, windowFrom, windowTo, loop.now);
  const utilisation = perTier((tier) => (from && to && windowBilledSeconds[tier] > 0 ? (to.proving[tier] - from.proving[tier]) / windowBilledSeconds[tier] : 0));
  const provedInWindow = from && to ? sum(TIERS.map((tier) => to.proving[tier] - from.proving[tier])) : 0;
  const billedInWindow = sum(TIERS.map((tier) => windowBilledSeconds[tier]));
  const provenTxs = sum(proven.map((block) => block.txs));
  const started = fleet.agents.filter((agent) => agent.startedAt > 0).length;
  const stopped = sum(TIERS.map((tier) => fleet.stoppedByApi(tier)));
  const exited = fleet.agents.filter((agent) => agent.state === 'exited' && agent.stopRequestedAt === 0).length;
  const launches = fleet.launches();
  const streamSeconds = parameters.blocks * slotSeconds;

  return {
    parameters: {
      profile: profile.name,
      publicCalls: parameters.publicCalls,
      txs: parameters.txs,
      blocks: parameters.blocks,
      slotSeconds,
      deadlineFactor: parameters.deadlineFactor,
      quota: { ...model.account.maxVcpus },
      seed,
      fault: parameters.fault,
      warm: parameters.warm,
      quote: parameters.quoteName ?? 'every block (no capacity check)',
    },
    blocks: {
      revealed,
      quoted: committed.length,
      refused: revealed - committed.length,
      proven: proven.length,
      missed: committed.length - proven.length,
    },
    perBlock,
    makespanOverCriticalPath: quantiles(ratios),
    computeOverLowerBound: lowerBoundUsd > 0 ? computeUsd / lowerBoundUsd : 0,
    compute: {
      usd: computeUsd,
      lowerBoundUsd,
      perBlockUsd: computeUsd / Math.max(1, committed.length),
      perTxUsd: computeUsd / Math.max(1, sum(committed.map((block) => block.txs))),
      lowerBoundPerTxUsd: lowerBoundUsd / Math.max(1, sum(committed.map((block) => block.txs))),
      steadyState: {
        fromSeconds: (windowFrom - T0) / SECOND,
        toSeconds: (windowTo - T0) / SECOND,
        usd: windowUsd,
        lowerBoundUsd: windowLowerBound,
        ratio: windowLowerBound > 0 ? windowUsd / windowLowerBound : 0,
      },
    },
    controlPlaneUsd: controlPlane,
    controlPlaneShare: computeUsd > 0 ? controlPlane / computeUsd : 0,
    fleetUtilisation: { ...utilisation, overall: billedInWindow > 0 ? provedInWindow / billedInWindow : 0 },
    peakBatchApiTps: fleet.batchApi.peakPerSecond,
    batchApiCalls: { ...fleet.batchApi.calls },
    peakLaunchesPerSecond: launches.peakPerSecond,
    launches: {
      total: launches.total,
      bucket: { ...model.ec2.launchBucket },
      waitedSeconds: launches.waitedSeconds,
      maxWaitSeconds: launches.maxWaitSeconds,
    },
    agents: {
      started,
      stopped,
      exitedByThemselves: exited,
      startedPerBlock: started / Math.max(1, committed.length),
      stoppedPerBlock: stopped / Math.max(1, committed.length),
    },
    peakVcpus: perTier((tier) => fleet.peakVcpus(tier)),
    standingFleet: standing,
    throughput: {
      provenTxs,
      txsPerSecond: provenTxs / streamSeconds,
      offeredTxsPerSecond: sum(blockTxs) / streamSeconds,
    },
    fault:
      parameters.fault === null || faultAt === null
        ? null
        : { kind: parameters.fault, atSeconds: (faultAt - T0) / SECOND, recoverySeconds: recoveryAfter(faultAt, perBlock, roots, ledger, T0) },
    simulatedSeconds: (loop.now - T0) / SECOND,
    eventsFired: loop.eventsFired,
    wallMs: performance.now() - wallStarted,
  };
}

/**
 * Agents per tier the blocks before the stream leave up: the mix's mean job-seconds per slot over the slot, within
 * the quota. These are the instances a firm proving this stream keeps running between blocks.
 */
export function standingFleetFor(parameters: Pick<StreamParameters, 'profile' | 'publicCalls' | 'txs' | 'slotSeconds'>, model: SimModel): Record<Tier, number> {
  const perTx = jobSecondsPerTx(parameters);
  const mean = meanTxs(parameters.txs);
  const max = maxAgentsOf(model);
  return perTier((tier) => Math.min(max[tier], Math.ceil((mean * perTx[tier]) / parameters.slotSeconds)));
}

/** Expected job-seconds per tx of each tier, over the mix (bigger blocks have slightly more merges per tx). */
export function jobSecondsPerTx({ profile, publicCalls, txs }: Pick<StreamParameters, 'profile' | 'publicCalls' | 'txs'>): Record<Tier, number> {
  const circuit = getCircuitProfile(profile);
  const spec = parsePublicCallSpec(publicCalls);
  const totals = { heavy: 0, light: 0 } as Record<Tier, number>;
  let meanTxsTotal = 0;
  for (const { txs: size, probability } of txs) {
    const plan = planBlock(syntheticBlockBody({ txs: size, publicCalls: spec, seed: 'mix' }), circuit, { blockId: 'mix', trusted: true });
    const tierOfKind = plan.kinds.map((kind) => plan.profile.kinds[kind]!.tier);
    for (let job = 0; job < plan.size; job++) totals[tierOfKind[plan.kindCodes[job]!]!] += probability * plan.expectedSeconds[job]!;
    meanTxsTotal += probability * size;
  }
  return perTier((tier) => totals[tier] / meanTxsTotal);
}

function maxCriticalPath(parameters: StreamParameters, profile: string): number {
  const circuit = getCircuitProfile(profile);
  const largest = Math.max(...parameters.txs.map(({ txs }) => txs));
  const plan = planBlock(syntheticBlockBody({ txs: largest, publicCalls: parsePublicCallSpec(parameters.publicCalls), seed: 'bound' }), circuit, {
    blockId: 'bound',
    trusted: true,
  });
  return plan.criticalPathSeconds;
}

/**
 * How long until the stream is back on its pre-fault schedule: until the root of the last block (live at the fault
 * or revealed after it) whose makespan ÷ critical path exceeded the worst seen before the fault; with no such
 * block, until the jobs the fault took away were proven again.
 */
function recoveryAfter(faultAt: number, blocks: readonly StreamBlock[], roots: ReadonlyMap<string, number>, ledger: ProofLedger, T0: number): number | null {
  const faultSeconds = (faultAt - T0) / SECOND;
  const ratio = (block: StreamBlock) => (block.makespanSeconds === null ? Infinity : block.makespanSeconds / block.criticalPathSeconds);
  const before = blocks.filter((block) => block.committed && block.makespanSeconds !== null && block.revealedAtSeconds + block.makespanSeconds < faultSeconds);
  const worst = Math.max(0, ...before.map(ratio));
  const affected = blocks.filter((block) => block.committed && block.revealedAtSeconds + (block.makespanSeconds ?? Infinity) >= faultSeconds && ratio(block) > worst);
  if (affected.some((block) => block.makespanSeconds === null)) return null;
  if (affected.length > 0) return Math.max(...affected.map((block) => roots.get(`block-${block.index}`)! - faultAt)) / SECOND;
  const done = ledger.watchedDoneAt();
  return done === null ? null : Math.max(0, done - faultAt) / SECOND;
}

/** Dollars billed between `from` and `to` (instance time inside the window at its price). */
function windowBill(instances: readonly Instance[], model: SimModel, from: number, to: number, now: number): number {
  let usd = 0;
  for (const instance of instances) {
    if (instance.billedFrom === 0) continue;
    const overlap = Math.max(0, Math.min(to, instance.terminatedAt || now) - Math.max(from, instance.billedFrom));
    const price = model.ec2.usdPerHour[instance.tier];
    usd += (overlap / 1_000 / 3_600) * (instance.spot ? price.spot : price.onDemand);
  }
  return usd;
}

function windowInstanceSeconds(instances: readonly Instance[], from: number, to: number, now: number): Record<Tier, number> {
  const seconds = { heavy: 0, light: 0 } as Record<Tier, number>;
  for (const instance of instances) {
    if (instance.billedFrom === 0) continue;
    seconds[instance.tier] += Math.max(0, Math.min(to, instance.terminatedAt || now) - Math.max(from, instance.billedFrom)) / 1_000;
  }
  return seconds;
}

/** p50, p95 and max (nearest rank); nulls when there is nothing to rank. */
export function quantiles(values: readonly number[]): Quantiles {
  if (values.length === 0) return { p50: null, p95: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return { p50: rank(0.5), p95: rank(0.95), max: sorted[sorted.length - 1]! };
}

function noWait(): Promise<void> {
  return Promise.resolve();
}

function perTier<T>(value: (tier: Tier) => T): Record<Tier, T> {
  return { heavy: value('heavy'), light: value('light') };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** vCPUs per agent, for quotas given in vCPUs. */
export function agentsWithin(vcpus: number, tier: Tier): number {
  return Math.floor(vcpus / TIER_SHAPES[tier].vcpus);
}
