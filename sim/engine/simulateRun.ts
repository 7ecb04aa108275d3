import type { RunContexts } from '../../core/run/runContexts.js';
import { encodeBlockBodyBytes } from '../../core/body/encodeBlockBody.js';
import type { BlockPlan } from '../../core/plan/blockPlan.js';
import type { Logger } from '../../core/ports/logger.js';
import { enqueueReadyLeaves } from '../../core/jobs/enqueueReadyJobs.js';
import { runDue } from '../../core/jobs/urgency.js';
import { recordRootProven } from '../../core/run/recordRootProven.js';
import { releaseCapacityIfIdle } from '../../core/run/releaseCapacityIfIdle.js';
import { rescaleRuns } from '../../core/run/rescaleRuns.js';
import { TIERS, type Tier } from '../../core/tiers.js';
import { controlPlaneCostUsd } from '../world/controlPlaneMeter.js';
import { costBreakdown, type CostBreakdown } from '../report/costBreakdown.js';
import { SimulationFault } from '../errors/index.js';
import { SIM_EPOCH_MS } from './eventLoop.js';
import { fastAgentRunner } from './fastAgentRunner.js';
import { createFleet, type Fleet, type InstanceBill } from '../world/fleet.js';
import { agentUsdPerHour } from '../model/instanceSlots.js';
import type { SimModel } from '../model/model.js';
import type { ProofLedger } from './proofLedger.js';
import { reactiveScaler } from '../baselines/reactiveScale.js';
import { realAgentRunner } from './realAgentRunner.js';
import { maxAgentsOf, SIM_SECONDS_PER_EXPECTED_SECOND } from '../model/scalerSettings.js';
import type { Scenario } from './scenarios.js';
import { runRecord, settingsFor } from './runWiring.js';
import { simRunOf } from './simWorld.js';
import { createSimServices, createSimWorld, simRunDependencies } from './simServices.js';
import { hashText } from '../model/stableHash.js';
import { warmFleetFor } from './warmFleet.js';

/**
 * Who sizes the fleet: the real scaler (`core/scale` through `rescaleRuns`), or the reactive baseline with the
 * agents' idle exit as its scale-down, or with KEDA's 300 s cooldown (stops through the Batch API) instead.
 */
export type ScalingPolicy = 'scaler' | 'reactive' | 'reactive-cooldown';

/** How agents run: the real core agent loop on simulated ports, or its synchronous re-implementation. */
export type AgentEngine = 'real' | 'fast';

export interface SimulateRunParameters {
  readonly plan: BlockPlan;
  readonly model: SimModel;
  readonly scenario: Scenario;
  readonly seed: string;
  readonly policy: ScalingPolicy;
  readonly engine: AgentEngine;
  /** The proving deadline, seconds after proving starts. */
  readonly deadlineSeconds: number;
  /** Timeline resolution; default 5 s. */
  readonly timelineSeconds?: number;
  /** Keep per-job and per-agent records for invariant checks. */
  readonly audit?: boolean;
  /** Where the scaler's decisions are logged; silent by default. */
  readonly log?: Logger;
}

/** One sample of the chart: agents up and starting, ready backlog, finished proofs. */
export interface TimelinePoint {
  readonly seconds: number;
  readonly agents: Readonly<Record<Tier, number>>;
  readonly starting: Readonly<Record<Tier, number>>;
  readonly ready: Readonly<Record<Tier, number>>;
  readonly finished: number;
}

export interface RunOutcome {
  /** Seconds from the start of proving to the root proof; null when it never came. */
  readonly makespanSeconds: number | null;
  readonly deadlineMet: boolean;
  /** Median time from SubmitJob to first poll of the agents asked for at t = 0 (0 when they were warm). */
  readonly provisioningSeconds: number;
  readonly computeCostUsd: number;
  /** Job-seconds of the proofs the block needed × the cheapest price of each job's tier. */
  readonly computeLowerBoundUsd: number;
  /** The compute bill split by what the instance time went to. */
  readonly costBreakdown: CostBreakdown;
  readonly controlPlaneUsd: number;
  readonly controlPlane: Readonly<Record<string, number>>;
  readonly peakVcpus: Readonly<Record<Tier, number>>;
  readonly faultAtSeconds: number | null;
  /** From the fault until every job the affected agents were proving was proven by someone else. */
  readonly recoverySeconds: number | null;
  readonly agentsLaunched: Readonly<Record<Tier, number>>;
  readonly proofs: { readonly completions: number; readonly duplicates: number; readonly interrupted: number };
  /** The Batch API and EC2 launches as this run used them. */
  readonly aws: {
    readonly peakBatchApiTps: number;
    readonly batchApiCalls: number;
    readonly agentsStoppedByApi: number;
    readonly launches: number;
    readonly maxLaunchWaitSeconds: number;
  };
  readonly bills: readonly InstanceBill[];
  readonly timeline: readonly TimelinePoint[];
  readonly eventsFired: number;
  readonly wallMs: number;
  readonly ledger: ProofLedger;
  readonly fleet: Fleet;
  /** Proof attempts per job id. */
  readonly attempts: ReadonlyMap<string, number>;
}

const SECOND = 1_000;

/**
 * Proves one block in simulated AWS: the planner's leaves are enqueued, the chosen policy scales every tick, agents
 * run the tree walk, the scenario's fault strikes, and after the root the real cleanup stops the fleet; the run
 * ends when the last instance is terminated, so the bill is complete. Submission to L1 is not modelled.
 */
export async function simulateRun(parameters: SimulateRunParameters): Promise<RunOutcome> {
  const started = performance.now();
  const { plan, scenario, seed, policy, engine, deadlineSeconds } = parameters;
  // Under the reactive rule the agents' idle exit is the only scale-down, so it keeps its own.
  // Under KEDA's own scale-down the agents (pods of a deployment) never exit by themselves.
  const idleExitMs = policy === 'reactive' ? parameters.model.reactive.idleExitMs : policy === 'reactive-cooldown' ? Number.MAX_SAFE_INTEGER : null;
  const model = idleExitMs === null ? parameters.model : { ...parameters.model, agent: { ...parameters.model.agent, idleExitMs } };
  const services = createSimServices(model, parameters.audit ?? false);
  const { loop, counts, ledger, store, queue, artifacts, ports } = services;
  const T0 = SIM_EPOCH_MS;
  let rootAt: number | null = null;
  let failure: string | null = null;
  let fault: unknown = null;

  const runId = plan.blockId;
  const bodyDigest = artifacts.put(encodeBlockBodyBytes(plan.body));
  counts.s3Puts--; // the planner's body upload is not part of proving
  const simRun = simRunOf(plan, bodyDigest);
  let fleet: Fleet | null = null;
  const world = createSimWorld(services, model, seed, {
    fleet: () => fleet!,
    runOf: () => simRun,
    async rootProven(_runId, digest) {
      if (rootAt === null) rootAt = loop.now;
      await recordRootProven(ports.store, runId, digest, loop.now);
    },
    async failed(_runId, reason) {
      failure ??= reason;
    },
    crashed(error) {
      fault ??= error;
    },
  });
  fleet = createFleet({
    loop,
    model,
    seedKey: hashText(`${seed}/fleet`),
    spawn: engine === 'real' ? realAgentRunner(world) : fastAgentRunner(world),
    warmUntil: scenario.warm ? T0 : -Infinity,
  });

  const run = runRecord(plan, bodyDigest, T0, deadlineSeconds);
  store.createRun(run);
  counts.lambdaInvocations++;
  counts.lambdaSeconds += model.controlPlane.plannerLambdaSeconds;
  counts.stepFunctionTransitions += model.controlPlane.runTransitions;
  await enqueueReadyLeaves(ports.queue, plan, runDue(run, SIM_SECONDS_PER_EXPECTED_SECOND));

  const runs: RunContexts = { get: async (id) => ({ run: store.getRun(id)!, plan }) };
  const runDeps = simRunDependencies(services, fleet, runs, parameters.log);
  const runSettings = settingsFor(model, plan.profile.name);
  const tickMs = (policy === 'scaler' ? model.scaling.tickSeconds : model.reactive.pollingSeconds) * SECOND;
  const reactive = reactiveScaler({
    messagesPerAgent: model.reactive.messagesPerAgent,
    maxAgents: maxAgentsOf(model),
    ...(policy === 'reactive-cooldown' ? { cooldownMs: model.reactive.cooldownSeconds * SECOND } : {}),
  });
  let released = false;
  const tick = async () => {
    counts.lambdaInvocations++;
    counts.lambdaSeconds += model.controlPlane.scalerLambdaSeconds;
    counts.stepFunctionTransitions += model.controlPlane.transitionsPerTick;
    if (rootAt !== null) {
      // Submission is not modelled: the run settles, and the real cleanup stops every agent.
      store.transitionRun(runId, ['submitting'], 'settled', {}, loop.now);
      released = await releaseCapacityIfIdle(runDeps);
      if (released) return;
    } else if (policy === 'scaler') {
      await rescaleRuns(runDeps, runSettings);
    } else {
      await reactive(ports.queue, fleet, loop.now);
    }
    // The scaler Lambda awaits its own Batch calls: a tick that queued many ends only when the last went out.
    loop.at(Math.max(loop.now + tickMs, fleet.batchApi.idleAt), tick);
  };
  if (scenario.warm) {
    const warm = warmFleetFor(plan, runSettings.scaling, deadlineSeconds);
    for (const tier of TIERS) await fleet.start(tier, warm[tier], { spot: true, reason: 'left up by the previous block' });
  }
  loop.at(T0, tick);

  let faultAt: number | null = null;
  if (scenario.fault) {
    const { kind, atSeconds, fraction } = scenario.fault;
    loop.at(T0 + atSeconds * SECOND, () => {
      if (rootAt !== null) return;
      faultAt = loop.now;
      if (kind === 'kill') {
        const chosen = fleet.chooseRunning(fraction);
        ledger.watch(chosen.map((agent) => ledger.current(agent.id)).filter((job): job is string => job !== undefined));
        fleet.kill(chosen);
      } else {
        const noticed = fleet.interruptSpot(fraction);
        ledger.watch(noticed.map((agent) => ledger.current(agent.id)).filter((job): job is string => job !== undefined));
      }
    });
  }

  const timeline: TimelinePoint[] = [];
  const timelineMs = (parameters.timelineSeconds ?? 5) * SECOND;
  const sampleTimeline = () => {
    timeline.push({
      seconds: (loop.now - T0) / SECOND,
      agents: perTier((tier) => fleet.running(tier)),
      starting: perTier((tier) => fleet.starting(tier)),
      ready: perTier((tier) => queue.depth(tier).ready),
      finished: ledger.completions,
    });
    counts.sqsRequests -= TIERS.length; // the chart's own look at the queues costs nothing
    if (!(rootAt !== null && fleet.idle())) loop.after(timelineMs, sampleTimeline);
  };
  loop.at(T0, sampleTimeline);

  const limitMs = T0 + Math.max(4 * deadlineSeconds, 1_800) * SECOND;
  await loop.run({
    until: () => fault !== null || failure !== null || (released && fleet.idle()),
    limitMs,
    settleEveryEvent: engine === 'real',
  });
  if (fault !== null) throw new SimulationFault(fault);

  const bills = fleet.bills();
  const controlPlane = controlPlaneCostUsd(counts, model);
  const firstWave = fleet.agents.filter((agent) => agent.requestedAt === T0 && agent.startedAt > 0);
  const watchedDone = ledger.watchedDoneAt();
  const cheapest = (tier: Tier) => Math.min(agentUsdPerHour(model, tier).spot, agentUsdPerHour(model, tier).onDemand) / 3_600;
  const makespanSeconds = rootAt === null ? null : (rootAt - T0) / SECOND;
  return {
    makespanSeconds,
    deadlineMet: makespanSeconds !== null && makespanSeconds <= deadlineSeconds,
    provisioningSeconds: scenario.warm ? 0 : median(firstWave.map((agent) => (agent.startedAt - agent.requestedAt) / SECOND)),
    computeCostUsd: sum(bills.map((bill) => bill.usd)),
    computeLowerBoundUsd: sum(TIERS.map((tier) => ledger.neededSeconds[tier] * cheapest(tier))),
    costBreakdown: costBreakdown({ instances: fleet.instances, agents: fleet.agents, model, workBy: (id) => ledger.workBy(id), now: loop.now }),
    controlPlaneUsd: sum(Object.values(controlPlane)),
    controlPlane,
    peakVcpus: perTier((tier) => fleet.peakVcpus(tier)),
    faultAtSeconds: faultAt === null ? null : (faultAt - T0) / SECOND,
    recoverySeconds: faultAt === null || watchedDone === null ? null : Math.max(0, watchedDone - faultAt) / SECOND,
    agentsLaunched: perTier((tier) => fleet.agents.filter((agent) => agent.tier === tier && agent.startedAt > 0).length),
    proofs: { completions: ledger.completions, duplicates: ledger.duplicates, interrupted: ledger.interrupted },
    aws: {
      peakBatchApiTps: fleet.batchApi.peakPerSecond,
      batchApiCalls: fleet.batchApi.total,
      agentsStoppedByApi: sum(TIERS.map((tier) => fleet.stoppedByApi(tier))),
      launches: fleet.launches().total,
      maxLaunchWaitSeconds: fleet.launches().maxWaitSeconds,
    },
    bills,
    timeline,
    eventsFired: loop.eventsFired,
    wallMs: performance.now() - started,
    ledger,
    fleet,
    attempts: world.attempts,
  };
}

function perTier<T>(value: (tier: Tier) => T): Record<Tier, T> {
  return { heavy: value('heavy'), light: value('light') };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}


