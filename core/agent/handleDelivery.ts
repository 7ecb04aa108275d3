import { InvalidChildProofError } from '../errors/index.js';
import { afterLease, leaseRequestFor } from '../jobs/afterLease.js';
import { readChildProofs } from '../jobs/childProofs.js';
import { isJobOf } from '../jobs/jobMessage.js';
import { isProvable } from '../jobs/provableRun.js';
import { recordJobFailure } from '../jobs/recordJobFailure.js';
import { recordProof } from '../jobs/recordProof.js';
import { releaseParent } from '../jobs/releaseParent.js';
import { reproveProof } from '../jobs/reproveProof.js';
import { returnedMessage, runDue } from '../jobs/urgency.js';
import { depsOf, jobAt, jobIdAt } from '../plan/jobAt.js';
import type { ArtifactStore } from '../ports/artifactStore.js';
import type { BlockRunDriver } from '../ports/blockRunDriver.js';
import type { Clock } from '../ports/clock.js';
import type { FleetTargets } from '../ports/fleetTargets.js';
import type { JobStore } from '../ports/jobStore.js';
import type { InstancePresence } from '../ports/instancePresence.js';
import type { Logger } from '../ports/logger.js';
import type { ProverBackend } from '../ports/proverBackend.js';
import type { ProvingRun } from '../ports/provingRun.js';
import type { Delivery, WorkQueue } from '../ports/workQueue.js';
import type { RunContexts } from '../run/runContexts.js';
import type { Tier } from '../tiers.js';
import type { AgentSettings } from './agentSettings.js';
import { interruptionVerdict, type InterruptionNotice } from './interruptionNotice.js';

export interface AgentDependencies {
  readonly tier: Tier;
  readonly agentId: string;
  readonly store: JobStore;
  readonly queue: WorkQueue;
  readonly artifacts: ArtifactStore;
  readonly backend: ProverBackend;
  readonly clock: Clock;
  readonly runs: RunContexts;
  readonly driver: BlockRunDriver;
  /** The tier's target: the agent leaves by itself between jobs while its tier runs above it. */
  readonly targets: FleetTargets;
  /**
   * The agents sharing this agent's instance: with it, leaves empty instances whole (`leaveDecision`). Absent (an
   * agent that cannot tell, or one agent per instance): it claims a leave as soon as one is due.
   */
  readonly presence?: InstancePresence;
  readonly log: Logger;
  readonly onEvent?: (event: AgentEvent) => void;
}

/** What an agent did with one delivery. */
export type AgentEvent =
  | {
      readonly type: 'proving';
      readonly runId: string;
      readonly jobId: string;
      readonly kind: string;
      readonly tier: Tier;
      readonly agentId: string;
    }
  | {
      readonly type: 'proved';
      readonly runId: string;
      readonly jobId: string;
      readonly kind: string;
      readonly tier: Tier;
      readonly agentId: string;
      readonly ms: number;
      /** Size of the proof this agent made (a later duplicate's is its own). */
      readonly bytes: number;
      readonly first: boolean;
      readonly digest: string;
    }
  | { readonly type: 'failed'; readonly runId: string; readonly jobId: string; readonly error: string; readonly exhausted: boolean }
  | { readonly type: 'returned'; readonly runId: string; readonly jobId: string; readonly why: string }
  | { readonly type: 'skipped'; readonly runId: string; readonly jobId: string; readonly why: string };

export type DeliveryResult = AgentEvent['type'];

/** Ends a job's heartbeat; a reason given up front spares a DOMException (and its stack) per job. */
const PROOF_FINISHED = new Error('proof finished');
/** Cuts a proof short on Spot's notice: what is left of it does not fit, or it ran past its hand-back time. */
const NOTICE_HAND_BACK = new Error('interruption notice');
/** Why a job went back on SIGTERM, and on Spot's notice. */
const STOPPING = 'agent stopping';
const INTERRUPTED = 'interruption notice';

/**
 * Handles one job delivery: fetch (the run and plan, the lease, the children's proofs checked by digest), prove with
 * a heartbeat, report (store the proof; `core/jobs` records it and moves the graph on), acknowledge. What a lease,
 * a done job or a failure means for the graph is decided in `core/jobs`; this function only carries the message.
 * Every path either acknowledges the message or makes it visible again, so nothing is lost; duplicates end at the
 * lease. SIGTERM (`stop`) mid-proof hands the job back at once; Spot's notice (`notice`) lets the proof finish when
 * `interruptionVerdict` says it fits, and hands it back otherwise, or once the proof outruns the notice.
 */
export async function handleDelivery(
  deps: AgentDependencies,
  settings: AgentSettings,
  delivery: Delivery,
  stop: AbortSignal,
  notice?: InterruptionNotice,
): Promise<DeliveryResult> {
  const { store, queue, clock, tier, agentId } = deps;
  const { message, receipt } = delivery;
  const emit = (event: AgentEvent) => {
    deps.onEvent?.(event);
    return event.type;
  };
  const skip = async (why: string) => {
    await queue.ack(tier, receipt);
    return emit({ type: 'skipped', runId: message.runId, jobId: message.jobId, why });
  };

  const { run, plan } = await deps.runs.get(message.runId);
  if (!isProvable(run)) return skip(`run is ${run.state}`);
  if (!isJobOf(plan, message)) {
    // A message that names no job of its plan is poison: leave it for the dead-letter queue, never drop it.
    deps.log.error('job message does not match its plan', { ...message });
    await queue.release(tier, receipt, settings.visibilityMs);
    return emit({ type: 'skipped', runId: message.runId, jobId: message.jobId, why: 'unknown job' });
  }
  const index = message.jobIndex;
  const due = runDue(run, settings.secondsPerExpectedSecond);

  const outcome = await store.leaseJob(leaseRequestFor(run.runId, message.jobId, agentId, clock.now(), settings));
  const lease = afterLease(outcome, clock.now(), settings);
  if (lease.kind === 'done') {
    await releaseParent(deps, plan, due, index, lease.digest, agentId, clock.now(), settings);
    return skip('already done');
  }
  if (lease.kind === 'retry') {
    await queue.release(tier, receipt, lease.delayMs);
    return emit({ type: 'skipped', runId: run.runId, jobId: message.jobId, why: lease.why });
  }

  const childProofs = await readChildProofs(deps, plan, due, index, lease.children);
  if (typeof childProofs === 'string') {
    await store.returnLease(run.runId, message.jobId, agentId);
    await queue.ack(tier, receipt);
    return emit({ type: 'returned', runId: run.runId, jobId: message.jobId, why: childProofs });
  }

  const job = jobAt(plan, index);
  // Sent anew due now, in the urgent lane, before the held message is deleted: a crash in between leaves a duplicate,
  // which ends at the lease, never a loss.
  const handBack = async (why: string) => {
    await store.returnLease(run.runId, job.id, agentId);
    await queue.send(tier, [returnedMessage(message, clock.now() / 1_000)]);
    await queue.ack(tier, receipt);
    return emit({ type: 'returned', runId: run.runId, jobId: job.id, why });
  };
  // The proof's expected duration on this runner's clock (the SIMULATED prover's time scale; 1 with real provers).
  const expectedSeconds = job.expectedSeconds * settings.secondsPerExpectedSecond;
  // Told of the interruption before proving: start only what fits in what is left of the notice.
  if (notice?.at != null && interruptionVerdict({ expectedSeconds, provingForMs: 0, sinceNoticeMs: clock.now() - notice.at }, settings).kind === 'handBack') {
    return handBack(INTERRUPTED);
  }
  // Stopped while fetching and leasing: the abort already fired, so the listener below would never see it.
  if (stop.aborted) return handBack(STOPPING);
  emit({ type: 'proving', runId: run.runId, jobId: job.id, kind: job.kind, tier, agentId });
  const started = clock.now();
  const proving = new AbortController();
  const onStop = () => proving.abort(stop.reason);
  stop.addEventListener('abort', onStop, { once: true });
  const interruption = notice ? finishOrHandBack(deps, settings, notice, expectedSeconds, started, proving) : undefined;
  const heartbeat = keepAlive(deps, settings, delivery, proving.signal);
  let proof: Uint8Array;
  try {
    proof = await deps.backend.prove({
      runId: run.runId,
      jobId: job.id,
      kind: job.kind,
      tier: job.tier,
      expectedSeconds: job.expectedSeconds,
      childProofs,
      inputs: { ...job.inputs, ...plan.profile.proverInputs?.(plan, index) },
      ...(index === plan.rootIndex ? { rootPublicInputs: rootPublicInputsOf(run) } : {}),
      signal: proving.signal,
    });
  } catch (error) {
    // SIGTERM or Ctrl-C, or Spot's notice with more proof left than it allows: the job goes straight to another agent.
    if (stop.aborted) return await handBack(STOPPING);
    if (proving.signal.reason === NOTICE_HAND_BACK) return await handBack(INTERRUPTED);
    if (error instanceof InvalidChildProofError) {
      // Not this job's failure: the child is proven again and this job is enqueued once it is.
      const child = depsOf(plan, index)[error.childIndex];
      if (child !== undefined) {
        const childId = jobIdAt(plan, child);
        deps.log.warn('child proof is unusable; proving it again', { childId, why: error.message });
        await reproveProof(deps, plan, due, child, lease.children[childId]!);
        await store.returnLease(run.runId, job.id, agentId);
        await queue.ack(tier, receipt);
        return emit({ type: 'returned', runId: run.runId, jobId: job.id, why: `child ${childId}: ${error.message}` });
      }
    }
    return recordFailure(deps, settings, delivery, job.id, job.kind, errorText(error));
  } finally {
    proving.abort(PROOF_FINISHED);
    stop.removeEventListener('abort', onStop);
    await heartbeat;
    await interruption;
  }

  const completion = await recordProof(deps, plan, due, index, await deps.artifacts.put(proof), agentId, settings);
  await queue.ack(tier, receipt);
  return emit({
    type: 'proved',
    runId: run.runId,
    jobId: job.id,
    kind: job.kind,
    tier,
    agentId,
    ms: clock.now() - started,
    bytes: proof.length,
    first: completion.first,
    digest: completion.digest,
  });
}

/** Reports a failed proof; the message is not acknowledged: it comes back for a retry after a back-off per failure. */
async function recordFailure(
  deps: AgentDependencies,
  settings: AgentSettings,
  delivery: Delivery,
  jobId: string,
  kind: string,
  error: string,
): Promise<DeliveryResult> {
  const { runId } = delivery.message;
  const failure = { runId, jobId, kind, owner: deps.agentId, error, now: deps.clock.now() };
  const { failures, exhausted } = await recordJobFailure(deps, failure, settings);
  // The retry re-proves, and the queue dead-letters the message after its receive limit.
  await deps.queue.release(deps.tier, delivery.receipt, settings.retryDelayMs * failures);
  deps.onEvent?.({ type: 'failed', runId, jobId, error, exhausted });
  return 'failed';
}

/**
 * Spot's notice while proving (or before, judged at the proof's start): the proof goes on when what is left of it fits
 * (`interruptionVerdict`), and is cut short for a hand-back if not, or once it runs past the verdict's hand-back time.
 * Ends with the proof.
 */
async function finishOrHandBack(
  deps: AgentDependencies,
  settings: AgentSettings,
  notice: InterruptionNotice,
  expectedSeconds: number,
  started: number,
  proving: AbortController,
): Promise<void> {
  if (notice.at === null && !(await abortsFirst(notice.signal, proving.signal))) return;
  const now = deps.clock.now();
  const verdict = interruptionVerdict({ expectedSeconds, provingForMs: now - started, sinceNoticeMs: now - (notice.at ?? now) }, settings);
  if (verdict.kind === 'finish') {
    try {
      await deps.clock.sleep(verdict.handBackInMs, proving.signal);
    } catch {
      return;
    }
    deps.log.warn('the proof ran past what the interruption notice allows; handing it back', { agentId: deps.agentId, expectedSeconds });
  }
  proving.abort(NOTICE_HAND_BACK);
}

/** Whether `first` aborts before `other` (false at once if `other` already has). */
function abortsFirst(first: AbortSignal, other: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (other.aborted) return resolve(false);
    const onFirst = () => {
      other.removeEventListener('abort', onOther);
      resolve(true);
    };
    const onOther = () => {
      first.removeEventListener('abort', onFirst);
      resolve(false);
    };
    first.addEventListener('abort', onFirst, { once: true });
    other.addEventListener('abort', onOther, { once: true });
  });
}

/** Extends the message's visibility and the job's lease until `signal` aborts. */
async function keepAlive(
  deps: AgentDependencies,
  settings: AgentSettings,
  delivery: Delivery,
  signal: AbortSignal,
): Promise<void> {
  const { runId, jobId } = delivery.message;
  while (!signal.aborted) {
    try {
      await deps.clock.sleep(settings.heartbeatMs, signal);
    } catch {
      return;
    }
    try {
      await deps.queue.extend(deps.tier, delivery.receipt, settings.visibilityMs);
      if (!(await deps.store.extendLease(leaseRequestFor(runId, jobId, deps.agentId, deps.clock.now(), settings)))) deps.log.warn('lease lost while proving', { runId, jobId });
    } catch (error) {
      deps.log.warn('heartbeat failed', { runId, jobId, error: errorText(error) });
    }
  }
}

function rootPublicInputsOf(run: ProvingRun) {
  return {
    blockNumber: run.blockNumber,
    proverId: run.proverId,
    bodyHash: run.bodyHash,
    parentStateRoot: run.parentStateRoot,
    newStateRoot: run.newStateRoot,
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
