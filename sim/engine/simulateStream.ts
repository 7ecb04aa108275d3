import { encodeBlockBodyBytes } from '../../core/body/encodeBlockBody.js';
import { parsePublicCallSpec } from '../../core/body/publicCallSpec.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { enqueueReadyLeaves } from '../../core/jobs/enqueueReadyJobs.js';
import { runDue } from '../../core/jobs/urgency.js';
import type { BlockPlan } from '../../core/plan/blockPlan.js';
import { planBlock } from '../../core/plan/planBlock.js';
import type { Logger } from '../../core/ports/logger.js';
import { getCircuitProfile } from '../../core/profiles/getCircuitProfile.js';
import { seededRandom } from '../../core/random/seededRandom.js';
import { recordRootProven } from '../../core/run/recordRootProven.js';
import { releaseCapacityIfIdle } from '../../core/run/releaseCapacityIfIdle.js';
import { rescaleRuns } from '../../core/run/rescaleRuns.js';
import type { RunContexts } from '../../core/run/runContexts.js';
import type { PublishedTarget } from '../../core/ports/fleetTargets.js';
import type { LaunchRate } from '../../core/scale/launchRate.js';
import { TIERS, type Tier } from '../../core/tiers.js';
import { SimulationFault } from '../errors/index.js';
import type { SimModel } from '../model/model.js';
import { maxAgentsOf, SIM_SECONDS_PER_EXPECTED_SECOND } from '../model/scalerSettings.js';
import { simLaunchRate } from '../model/simLaunchRate.js';
import { hashText } from '../model/stableHash.js';
import { drawTxs, type TxsMix } from '../model/txsMix.js';
import { createFleet, type Fleet } from '../world/fleet.js';
import { SIM_EPOCH_MS } from './eventLoop.js';
import { fastAgentRunner } from './fastAgentRunner.js';
import { runRecord, settingsFor } from './runWiring.js';
import { createSimServices, createSimWorld, simRunDependencies } from './simServices.js';
import { simRunOf, type SimRun } from './simWorld.js';
import { maxCriticalPath, standingFleetFor } from './standingFleet.js';
import { streamOutcome, type IdleAgentSeconds, type ProofSnapshot, type StreamBlock, type StreamOutcome } from './streamOutcome.js';
import { overlapMs } from '../world/accountingWindow.js';

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
  const T0 = SIM_EPOCH_MS;
  // The steady window: from the reveal that ends the first fifth of the stream to the last reveal. The fleet and the
  // ledger account for the time inside it, so its bill can be split by what the time was spent on.
  const steady = { from: T0 + Math.floor(parameters.blocks / 5) * slotSeconds * SECOND, to: T0 + Math.max(1, parameters.blocks - 1) * slotSeconds * SECOND };
  const services = createSimServices(model, false, steady);
  const { loop, counts, ledger, store, artifacts, targets, ports } = services;
  const runs = new Map<string, SimRun>();
  const roots = new Map<string, number>();
  let fault: unknown = null;
  let fleet: Fleet | null = null;

  const world = createSimWorld(services, model, seed, {
    fleet: () => fleet!,
    runOf: (runId) => runs.get(runId)!,
    async rootProven(runId, digest) {
      if (!roots.has(runId)) roots.set(runId, loop.now);
      await recordRootProven(ports.store, runId, digest, loop.now);
    },
    async failed() {
      // A job failed for good: its run cannot finish and will be missed at its deadline.
    },
    crashed(error) {
      fault ??= error;
    },
  });
  fleet = createFleet({ loop, model, seedKey: hashText(`${seed}/fleet`), spawn: fastAgentRunner(world), warmUntil: parameters.warm ? T0 : -Infinity, accounting: steady });

  const contexts: RunContexts = { get: async (id) => ({ run: store.getRun(id)!, plan: runs.get(id)!.plan }) };
  const runDeps = simRunDependencies(services, fleet, contexts, parameters.log);
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
    const run = runRecord(plan, bodyDigest, loop.now, deadlineSeconds);
    store.createRun(run);
    counts.lambdaInvocations++;
    counts.lambdaSeconds += model.controlPlane.plannerLambdaSeconds;
    counts.stepFunctionTransitions += model.controlPlane.runTransitions;
    await enqueueReadyLeaves(ports.queue, plan, runDue(run, SIM_SECONDS_PER_EXPECTED_SECOND));
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
    const next = Math.max(loop.now + model.scaling.tickSeconds * SECOND, fleet.batchApi.idleAt);
    sampleIdle(next);
    loop.at(next, tick);
  };

  // Agents running but not proving, sampled at each tick of the steady window and held until the next: above the
  // target (waiting to leave), kept by the scale-down hold above what the sizing wanted, or wanted by the sizing.
  const idle = perTier((): IdleAgentSeconds => ({ aboveTarget: 0, held: 0, wanted: 0 }));
  const sampleIdle = (next: number) => {
    const seconds = overlapMs(loop.now, next, steady) / SECOND;
    if (seconds <= 0) return;
    const proving = perTier(() => 0);
    for (const agent of fleet.agents) if (agent.state === 'running' && agent.handle?.busy) proving[agent.tier]++;
    for (const tier of TIERS) {
      const published = targets.get(tier);
      const target = published?.agents ?? 0;
      const wanted = runDeps.scaler.held.wants.get(tier)?.at(-1)?.agents ?? target;
      const notProving = fleet.running(tier) - proving[tier];
      const above = Math.min(notProving, Math.max(0, fleet.running(tier) + fleet.starting(tier) - target));
      const held = Math.min(notProving - above, Math.max(0, target - wanted));
      idle[tier].aboveTarget += above * seconds;
      idle[tier].held += held * seconds;
      idle[tier].wanted += (notProving - above - held) * seconds;
    }
  };
  loop.at(T0, tick);

  const { from: windowFrom, to: windowTo } = steady;
  const snapshots: ProofSnapshot[] = [];
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

  return streamOutcome({
    parameters,
    profile: profile.name,
    records: records.map(({ plan: _plan, ...record }) => record),
    roots,
    revealed,
    blockTxs,
    standing,
    fleet,
    ledger,
    counts,
    window: { from: windowFrom, to: windowTo, snapshots },
    idle,
    faultAt,
    now: loop.now,
    eventsFired: loop.eventsFired,
    wallMs: performance.now() - wallStarted,
  });
}

function perTier<T>(value: (tier: Tier) => T): Record<Tier, T> {
  return { heavy: value('heavy'), light: value('light') };
}
