import { CorruptArtifactError, MissingArtifactError } from '../errors/index.js';
import type { BlockPlan } from '../plan/blockPlan.js';
import { depsOf, jobAt, jobIdAt } from '../plan/jobAt.js';
import type { ArtifactStore } from '../ports/artifactStore.js';
import type { BlockRunDriver } from '../ports/blockRunDriver.js';
import type { Clock } from '../ports/clock.js';
import type { JobStore } from '../ports/jobStore.js';
import type { Logger } from '../ports/logger.js';
import type { ProverBackend } from '../ports/proverBackend.js';
import type { ProvingRun } from '../ports/provingRun.js';
import type { Delivery, WorkQueue } from '../ports/workQueue.js';
import type { Tier } from '../tiers.js';
import type { AgentSettings } from './agentSettings.js';
import { jobMessage } from './jobMessage.js';
import type { RunContexts } from './runContexts.js';

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
      readonly first: boolean;
      readonly digest: string;
    }
  | { readonly type: 'failed'; readonly runId: string; readonly jobId: string; readonly error: string; readonly exhausted: boolean }
  | { readonly type: 'returned'; readonly runId: string; readonly jobId: string; readonly why: string }
  | { readonly type: 'skipped'; readonly runId: string; readonly jobId: string; readonly why: string };

export type DeliveryResult = AgentEvent['type'];

/** Ends a job's heartbeat; a reason given up front spares a DOMException (and its stack) per job. */
const PROOF_FINISHED = new Error('proof finished');

/** Runs whose jobs are still worth proving. */
const PROVABLE_STATES: readonly ProvingRun['state'][] = ['planned', 'provisioning', 'proving'];

/**
 * Handles one job delivery: lease it, fetch its children's proofs (checked by digest), prove with a heartbeat,
 * store the proof, complete, release the parent, acknowledge. Every path either acknowledges the message or
 * makes it visible again, so nothing is lost; duplicates end at the lease.
 */
export async function handleDelivery(
  deps: AgentDependencies,
  settings: AgentSettings,
  delivery: Delivery,
  stop: AbortSignal,
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
  if (!PROVABLE_STATES.includes(run.state)) return skip(`run is ${run.state}`);
  const index = message.jobIndex;
  if (!(index >= 0 && index < plan.size && jobIdAt(plan, index) === message.jobId)) {
    // A message that names no job of its plan is poison: leave it for the dead-letter queue, never drop it.
    deps.log.error('job message does not match its plan', { ...message });
    await queue.release(tier, receipt, settings.visibilityMs);
    return emit({ type: 'skipped', runId: message.runId, jobId: message.jobId, why: 'unknown job' });
  }

  const lease = await store.leaseJob({
    runId: run.runId,
    jobId: message.jobId,
    owner: agentId,
    now: clock.now(),
    leaseMs: settings.visibilityMs,
  });
  if (lease.kind === 'done') {
    // A duplicate, or a redelivery after a crash between completing and releasing: releasing again is idempotent.
    await releaseParent(deps, settings, plan, index, lease.digest);
    return skip('already done');
  }
  if (lease.kind === 'held') {
    await queue.release(tier, receipt, Math.max(1_000, Math.min(lease.expiresAt - clock.now(), settings.visibilityMs)));
    return emit({ type: 'skipped', runId: run.runId, jobId: message.jobId, why: `leased by ${lease.owner}` });
  }
  if (lease.kind === 'failed') {
    await queue.release(tier, receipt, settings.retryDelayMs);
    return emit({ type: 'skipped', runId: run.runId, jobId: message.jobId, why: 'failed for good' });
  }

  const childProofs = await readChildProofs(deps, plan, index, lease.children);
  if (typeof childProofs === 'string') {
    await store.returnLease(run.runId, message.jobId, agentId);
    await queue.ack(tier, receipt);
    return emit({ type: 'returned', runId: run.runId, jobId: message.jobId, why: childProofs });
  }

  const job = jobAt(plan, index);
  emit({ type: 'proving', runId: run.runId, jobId: job.id, kind: job.kind, tier, agentId });
  const started = clock.now();
  const proving = new AbortController();
  const onStop = () => proving.abort(stop.reason);
  stop.addEventListener('abort', onStop, { once: true });
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
      inputs: { ...job.inputs },
      ...(index === plan.rootIndex ? { rootPublicInputs: rootPublicInputsOf(run) } : {}),
      signal: proving.signal,
    });
  } catch (error) {
    if (stop.aborted) {
      // Spot's two-minute notice or Ctrl-C: hand the job straight back for another agent.
      await store.returnLease(run.runId, job.id, agentId);
      await queue.release(tier, receipt, 0);
      return emit({ type: 'returned', runId: run.runId, jobId: job.id, why: 'agent stopping' });
    }
    return recordFailure(deps, settings, delivery, job.id, job.kind, errorText(error));
  } finally {
    proving.abort(PROOF_FINISHED);
    stop.removeEventListener('abort', onStop);
    await heartbeat;
  }

  const digest = await deps.artifacts.put(proof);
  const completion = await store.completeJob(run.runId, job.id, digest, clock.now());
  await releaseParent(deps, settings, plan, index, completion.digest);
  await queue.ack(tier, receipt);
  return emit({
    type: 'proved',
    runId: run.runId,
    jobId: job.id,
    kind: job.kind,
    tier,
    agentId,
    ms: clock.now() - started,
    first: completion.first,
    digest: completion.digest,
  });
}

/** Records a done job on its parent and enqueues the parent if this caller is the one to; the root ends the walk. */
async function releaseParent(
  deps: AgentDependencies,
  settings: AgentSettings,
  plan: BlockPlan,
  index: number,
  digest: string,
): Promise<void> {
  const parent = plan.parents[index]!;
  if (parent === -1) {
    await deps.driver.rootProven(plan.blockId, digest);
    return;
  }
  const outcome = await deps.store.releaseParent({
    runId: plan.blockId,
    parentId: jobIdAt(plan, parent),
    childId: jobIdAt(plan, index),
    childDigest: digest,
    depCount: depsOf(plan, parent).length,
    claimant: deps.agentId,
    now: deps.clock.now(),
    staleClaimMs: settings.staleClaimMs,
  });
  if (outcome.enqueue) {
    const { tier, message } = jobMessage(plan, parent);
    await deps.queue.send(tier, [message]);
  }
}

/**
 * Reads each child's proof, checked against its digest. A corrupt or missing child is forgotten and re-enqueued
 * (returns why, as a string) so it is proven again; the parent is enqueued again when it is.
 */
async function readChildProofs(
  deps: AgentDependencies,
  plan: BlockPlan,
  index: number,
  children: Readonly<Record<string, string>>,
): Promise<Uint8Array[] | string> {
  const proofs: Uint8Array[] = [];
  for (const child of depsOf(plan, index)) {
    const childId = jobIdAt(plan, child);
    const digest = children[childId];
    if (digest === undefined) return `child ${childId} is not done (it was invalidated after this job was enqueued)`;
    try {
      proofs.push(await deps.artifacts.get(digest));
    } catch (error) {
      if (!(error instanceof CorruptArtifactError || error instanceof MissingArtifactError)) throw error;
      deps.log.warn('child proof failed its digest check; proving it again', { childId, digest, error: error.message });
      if (await deps.store.invalidateProof(plan.blockId, childId, digest, jobIdAt(plan, index))) {
        const { tier, message } = jobMessage(plan, child);
        await deps.queue.send(tier, [message]);
      }
      return `child ${childId}: ${error.message}`;
    }
  }
  return proofs;
}

async function recordFailure(
  deps: AgentDependencies,
  settings: AgentSettings,
  delivery: Delivery,
  jobId: string,
  kind: string,
  error: string,
): Promise<DeliveryResult> {
  const { runId } = delivery.message;
  const { failures, exhausted } = await deps.store.recordFailure({
    runId,
    jobId,
    owner: deps.agentId,
    error,
    now: deps.clock.now(),
    maxFailures: settings.maxFailures,
  });
  deps.log.warn('proof failed', { runId, jobId, kind, failures, exhausted, error });
  if (exhausted) await deps.driver.fail(runId, `job ${jobId} (${kind}) failed ${failures} times: ${error}`);
  // Not acknowledged: the retry re-proves, and the queue dead-letters the message after its receive limit.
  await deps.queue.release(deps.tier, delivery.receipt, settings.retryDelayMs * failures);
  deps.onEvent?.({ type: 'failed', runId, jobId, error, exhausted });
  return 'failed';
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
      const request = { runId, jobId, owner: deps.agentId, now: deps.clock.now(), leaseMs: settings.visibilityMs };
      if (!(await deps.store.extendLease(request))) deps.log.warn('lease lost while proving', { runId, jobId });
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
