import { jobMessage } from '../core/agent/jobMessage.js';
import type { LeaseOutcome, ReleaseOutcome } from '../core/ports/jobStore.js';
import type { ProvingRun } from '../core/ports/provingRun.js';
import type { Delivery } from '../core/ports/workQueue.js';
import { seededRandom } from '../core/random/seededRandom.js';
import type { Tier } from '../core/tiers.js';
import { sample, type Distribution } from './distribution.js';
import type { EventTarget, ScheduledEvent } from './eventLoop.js';
import type { AgentHandle, FleetAgent } from './fleet.js';
import { proofSeconds } from './proofSeconds.js';
import type { SimWorld } from './simWorld.js';
import type { QueueWaiter } from './simWorkQueue.js';
import { hashText } from './stableHash.js';

/** Runs whose jobs are still worth proving (`handleDelivery`'s PROVABLE_STATES). */
const PROVABLE_STATES: readonly ProvingRun['state'][] = ['planned', 'provisioning', 'proving'];

/**
 * The fast path: the core agent loop (`runAgent` → `handleDelivery`, with `keepAlive`, `readChildProofs` and
 * `releaseParent`) re-implemented as a synchronous state machine, because the real async loop costs ~50 µs of
 * promise and AbortSignal plumbing per event and a 61,440-tx block needs millions of events.
 *
 * It keeps the real loop's semantics step for step: the same store rules (the store is shared), the same requests
 * in the same order, each answering after a latency drawn from the same per-agent stream at the same point; the
 * same handling of SIGTERM (an agent told to stop while proving returns its job at once; one told to stop before
 * its proof started proves it to the end, as `handleDelivery` does); the heartbeat's calls delay the agent when the
 * proof ends mid-heartbeat. Each phase below is one `await` of the real code. `fastAgentRunner.test.ts` checks the
 * two against each other event for event. What it skips: `ProofJob` records, proof bytes and their sha256 (a digest
 * here is `<job>#<attempt>`), prover failures (the model has none), and the poison-message and corrupt-artifact
 * paths (the model corrupts nothing).
 */
export function fastAgentRunner(world: SimWorld): (agent: FleetAgent) => AgentHandle {
  const { plan } = world;
  const tierOfKind = plan.kinds.map((kind) => plan.profile.kinds[kind]!.tier);
  const jobKeys = new Uint32Array(plan.size);
  for (let i = 0; i < plan.size; i++) jobKeys[i] = hashText(world.jobIds[i]!);
  const shared: Shared = { world, tierOfKind, jobKeys };
  return (agent) => new FastAgent(shared, agent);
}

interface Shared {
  readonly world: SimWorld;
  readonly tierOfKind: readonly Tier[];
  readonly jobKeys: Uint32Array;
}

/** Where the agent is: each name is what it does once its pending request (or wait) is over. */
type Phase =
  | 'polling'
  | 'received'
  | 'runRead'
  | 'bodyRead'
  | 'planBuilt'
  | 'leased'
  | 'childRead'
  | 'proving'
  | 'put'
  | 'completed'
  | 'parentReleased'
  | 'parentSent'
  | 'acked'
  | 'skipReleased'
  | 'leaseReturned'
  | 'stopReturned'
  | 'stopReleased'
  | 'releasedUnhandled';

/** What a shared step leads to: a proof on its way to completion, or a delivery that ends without one. */
type Outcome = 'proved' | 'other';

class FastAgent implements AgentHandle, EventTarget, QueueWaiter {
  busy = false;
  private phase: Phase = 'polling';
  private dead = false;
  private stopped = false;
  private idleSince: number;
  private poll: ScheduledEvent | null = null;
  private pollCancel: (() => void) | null = null;
  private cachedRun: ProvingRun | null = null;
  private runReadAt = 0;
  private plan: 'none' | 'building' | 'built' = 'none';
  private readonly random: () => number;
  private readonly heartbeat: Heartbeat;
  // The delivery in hand and what the real code keeps in local variables while handling it.
  private delivery: Delivery | null = null;
  private run: ProvingRun | null = null;
  private index = -1;
  private jobId = '';
  private lease: LeaseOutcome | null = null;
  private childCursor = 0;
  private attempt = 0;
  private seconds = 0;
  private proof: ScheduledEvent | null = null;
  /** The stop listener `handleDelivery` adds just before proving (absent if the agent was already told to stop). */
  private listening = false;
  private completion: { readonly first: boolean; readonly digest: string } | null = null;
  private release: ReleaseOutcome | null = null;
  private afterRelease: Outcome = 'other';
  private afterAck: Outcome = 'other';

  constructor(
    private readonly shared: Shared,
    private readonly agent: FleetAgent,
  ) {
    this.random = seededRandom(`${shared.world.seed}/${agent.id}`);
    this.heartbeat = new Heartbeat(this);
    this.idleSince = this.now;
    this.top();
  }

  get world(): SimWorld {
    return this.shared.world;
  }

  get now(): number {
    return this.shared.world.loop.now;
  }

  get visibilityMs(): number {
    return this.shared.world.model.agent.visibilityMs;
  }

  get tier(): Tier {
    return this.agent.tier;
  }

  get agentId(): string {
    return this.agent.id;
  }

  get receipt(): string {
    return this.delivery!.receipt;
  }

  get runId(): string {
    return this.run!.runId;
  }

  get job(): string {
    return this.jobId;
  }

  /** Waits out a request's latency, drawn from this agent's stream when the request is made. */
  latency(distribution: Distribution, next: Phase): void {
    this.phase = next;
    this.world.loop.wake(sample(distribution, this.random), this);
  }

  get latencies() {
    return this.world.model.latencyMs;
  }

  get isDead(): boolean {
    return this.dead;
  }

  /** The agent's own latency stream (the heartbeat draws from it too, as `keepAlive` uses the agent's ports). */
  get randomStream(): () => number {
    return this.random;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    // The abort listeners of the real loop: a long poll ends empty, a running proof is cut short.
    if (this.poll) {
      this.endPoll();
      this.received(null);
    } else if (this.listening) {
      this.abortProof();
    }
  }

  kill(): void {
    this.dead = true;
    this.busy = false;
    if (this.poll) this.endPoll();
    this.world.ledger.stopped(this.agent.id);
  }

  step(): void {
    if (this.dead) return;
    switch (this.phase) {
      case 'polling':
        this.endPoll();
        return this.received(null);
      case 'received':
        return this.received(this.delivery);
      case 'runRead':
        this.runReadAt = this.now;
        return this.withPlan();
      case 'bodyRead':
        this.phase = 'planBuilt';
        this.world.loop.wake(sample(this.world.model.agent.planBuildSeconds, this.random) * 1_000, this);
        return;
      case 'planBuilt':
        this.plan = 'built';
        return this.withRun();
      case 'leased':
        return this.leased();
      case 'childRead':
        this.childCursor++;
        return this.readChildren();
      case 'proving':
        this.proof = null;
        this.listening = false;
        this.world.ledger.proved(this.agent.id, this.jobId, this.agent.tier, this.seconds);
        return this.heartbeat.end('proved');
      case 'put':
        this.completion = this.world.store.completeJob(this.runId, this.jobId, `${this.jobId}#${this.attempt}`, this.now);
        return this.latency(this.latencies.dynamodb, 'completed');
      case 'completed':
        return this.releaseParent(this.completion!.digest, 'proved');
      case 'parentReleased': {
        if (!this.release!.enqueue) return this.released();
        const { tier, message } = jobMessage(this.world.plan, this.world.plan.parents[this.index]!);
        this.world.queue.send(tier, [message]);
        return this.latency(this.latencies.sqs, 'parentSent');
      }
      case 'parentSent':
        return this.released();
      case 'acked':
        if (this.afterAck === 'proved') {
          this.busy = false;
          return this.done();
        }
        return this.endWithoutProof();
      case 'skipReleased':
        return this.endWithoutProof();
      case 'leaseReturned':
        return this.ack('other');
      case 'stopReturned':
        this.world.queue.release(this.agent.tier, this.receipt, 0);
        return this.latency(this.latencies.sqs, 'stopReleased');
      case 'stopReleased':
        this.busy = false;
        this.world.ledger.stopped(this.agent.id);
        return this.heartbeat.end('other');
      case 'releasedUnhandled':
        return this.done();
    }
  }

  /** The heartbeat is over; carry on with what the proof's end (or the stop) left to do. */
  afterHeartbeat(outcome: Outcome): void {
    if (outcome === 'other') return this.done();
    this.world.counts.s3Puts++;
    this.latency(this.latencies.s3Put, 'put');
  }

  // runAgent: long-poll for one delivery; exit when stopped, or idle for idleExitMs.
  private top(): void {
    if (this.stopped) return this.exit();
    const { model, queue } = this.world;
    const deliveries = queue.receive(this.agent.tier, 1, model.agent.visibilityMs);
    if (deliveries.length > 0 || model.agent.waitMs <= 0) {
      this.delivery = deliveries[0] ?? null;
      return this.latency(this.latencies.sqs, 'received');
    }
    this.phase = 'polling';
    this.pollCancel = queue.wait(this.agent.tier, this);
    this.poll = this.world.loop.wake(model.agent.waitMs, this);
  }

  /** A message for the long poll in progress: it answers after the receive's latency. */
  deliver(delivery: Delivery): void {
    this.endPoll();
    this.delivery = delivery;
    this.latency(this.latencies.sqs, 'received');
  }

  private endPoll(): void {
    this.pollCancel?.();
    this.pollCancel = null;
    if (this.poll) this.poll.cancelled = true;
    this.poll = null;
  }

  private received(delivery: Delivery | null): void {
    if (delivery === null) {
      if (this.now - this.idleSince >= this.world.model.agent.idleExitMs) return this.exit();
      return this.top();
    }
    this.delivery = delivery;
    if (this.stopped) {
      this.world.queue.release(this.agent.tier, delivery.receipt, 0);
      return this.latency(this.latencies.sqs, 'releasedUnhandled');
    }
    this.handle();
  }

  private done(): void {
    this.delivery = null;
    this.idleSince = this.now;
    this.top();
  }

  private exit(): void {
    this.world.fleet().agentExited(this.agent);
  }

  // handleDelivery, from RunContexts.get onwards.
  private handle(): void {
    const cached = this.cachedRun;
    if (cached && this.now - this.runReadAt < this.world.model.agent.runTtlMs) {
      this.run = cached;
      return this.withPlan();
    }
    this.cachedRun = this.run = this.world.store.getRun(this.delivery!.message.runId)!;
    this.latency(this.latencies.dynamodb, 'runRead');
  }

  private withPlan(): void {
    if (this.plan === 'built') return this.withRun();
    this.plan = 'building';
    this.world.counts.s3Gets++;
    this.latency(this.latencies.s3Get, 'bodyRead');
  }

  private withRun(): void {
    const run = this.run!;
    if (!PROVABLE_STATES.includes(run.state)) return this.ack('other');
    const { world } = this;
    this.index = this.delivery!.message.jobIndex;
    this.jobId = world.jobIds[this.index]!;
    this.lease = world.store.leaseJob({
      runId: run.runId,
      jobId: this.jobId,
      owner: this.agent.id,
      now: this.now,
      leaseMs: world.model.agent.visibilityMs,
    });
    this.latency(this.latencies.dynamodb, 'leased');
  }

  private leased(): void {
    const { queue, model } = this.world;
    const lease = this.lease!;
    switch (lease.kind) {
      case 'done':
        return this.releaseParent(lease.digest, 'other');
      case 'held':
        queue.release(this.agent.tier, this.receipt, Math.max(1_000, Math.min(lease.expiresAt - this.now, model.agent.visibilityMs)));
        return this.latency(this.latencies.sqs, 'skipReleased');
      case 'failed':
        queue.release(this.agent.tier, this.receipt, model.agent.retryDelayMs);
        return this.latency(this.latencies.sqs, 'skipReleased');
      case 'leased':
        this.childCursor = 0;
        return this.readChildren();
    }
  }

  /** `readChildProofs`: each child's proof in input order; a child the lease does not list sends the job back. */
  private readChildren(): void {
    const { world } = this;
    const { depOffsets, depList } = world.plan;
    const at = depOffsets[this.index]! + this.childCursor;
    if (at === depOffsets[this.index + 1]) return this.prove();
    const children = (this.lease as Extract<LeaseOutcome, { kind: 'leased' }>).children;
    if (children[world.jobIds[depList[at]!]!] === undefined) {
      world.store.returnLease(this.runId, this.jobId, this.agent.id);
      return this.latency(this.latencies.dynamodb, 'leaseReturned');
    }
    world.counts.s3Gets++;
    this.latency(this.latencies.s3Get, 'childRead');
  }

  private prove(): void {
    const { world } = this;
    this.busy = true;
    world.ledger.started(this.agent.id, this.jobId);
    this.attempt = world.attempts.get(this.jobId) ?? 0;
    world.attempts.set(this.jobId, this.attempt + 1);
    const expected = world.plan.expectedSeconds[this.index]!;
    this.seconds = proofSeconds(expected, world.model.proofs.spreadSigma, world.seedKey, this.shared.jobKeys[this.index]!, this.attempt);
    this.heartbeat.start(this.now + this.seconds * 1_000);
    this.phase = 'proving';
    this.proof = world.loop.wake(this.seconds * 1_000, this);
    this.listening = !this.stopped;
  }

  /** SIGTERM while proving: the proof and heartbeat sleep end at once, the job goes back (lease, then message). */
  private abortProof(): void {
    this.listening = false;
    this.proof!.cancelled = true;
    this.proof = null;
    this.heartbeat.abort();
    this.world.store.returnLease(this.runId, this.jobId, this.agent.id);
    this.latency(this.latencies.dynamodb, 'stopReturned');
  }

  /** Records the job on its parent and enqueues the parent if this agent is the one to; the root ends the walk. */
  private releaseParent(digest: string, then: Outcome): void {
    const { world } = this;
    const { plan } = world;
    this.afterRelease = then;
    const parent = plan.parents[this.index]!;
    if (parent === -1) {
      void world.rootProven(digest);
      return this.released();
    }
    this.release = world.store.releaseParent({
      runId: plan.blockId,
      parentId: world.jobIds[parent]!,
      childId: this.jobId,
      childDigest: digest,
      depCount: plan.depOffsets[parent + 1]! - plan.depOffsets[parent]!,
      claimant: this.agent.id,
      now: this.now,
      staleClaimMs: world.model.agent.staleClaimMs,
    });
    this.latency(this.latencies.dynamodb, 'parentReleased');
  }

  private released(): void {
    this.ack(this.afterRelease);
  }

  private ack(then: Outcome): void {
    this.afterAck = then;
    this.world.queue.ack(this.agent.tier, this.receipt);
    this.latency(this.latencies.sqs, 'acked');
  }

  /** A delivery that ended without a proof (skipped or returned). */
  private endWithoutProof(): void {
    this.busy = false;
    this.world.ledger.stopped(this.agent.id);
    this.done();
  }
}

/**
 * `keepAlive`: every `heartbeatMs` while proving, extend the message's visibility, then the job's lease. When the
 * proof ends (or is cut short) in the middle of those calls, the agent waits for them, as `await heartbeat` does.
 */
class Heartbeat implements EventTarget {
  private phase: 'sleeping' | 'extended' | 'leaseExtended' = 'sleeping';
  private sleep: ScheduledEvent | null = null;
  private calling = false;
  private aborted = false;
  private pending: Outcome | null = null;
  private proofEndsAt = 0;

  constructor(private readonly agent: FastAgent) {}

  /**
   * Starts beating for a proof due at `proofEndsAt`. A beat due after the proof ends would be cancelled unfired, so
   * it is not scheduled at all (half the proofs are shorter than a heartbeat); at a tie the first beat, scheduled
   * before the proof, would fire, a later one, scheduled after it, would not.
   */
  start(proofEndsAt: number): void {
    this.aborted = false;
    this.pending = null;
    this.proofEndsAt = proofEndsAt;
    this.beat(true);
  }

  /** The proof was cut short: the sleep ends now; a call in progress runs to its end. */
  abort(): void {
    this.aborted = true;
    if (this.sleep) {
      this.sleep.cancelled = true;
      this.sleep = null;
    }
  }

  /** The `finally` after proving: stop beating, then carry on (after the call in progress, if any). */
  end(outcome: Outcome): void {
    this.abort();
    if (this.calling) this.pending = outcome;
    else this.agent.afterHeartbeat(outcome);
  }

  step(): void {
    const { agent } = this;
    if (agent.isDead) return;
    const { world } = agent;
    const { model } = world;
    switch (this.phase) {
      case 'sleeping':
        this.sleep = null;
        this.calling = true;
        world.queue.extend(agent.tier, agent.receipt, model.agent.visibilityMs);
        return this.after(agent.latencies.sqs, 'extended');
      case 'extended':
        world.store.extendLease({ runId: agent.runId, jobId: agent.job, owner: agent.agentId, now: agent.now, leaseMs: model.agent.visibilityMs });
        return this.after(agent.latencies.dynamodb, 'leaseExtended');
      case 'leaseExtended': {
        this.calling = false;
        if (!this.aborted) return this.beat();
        const pending = this.pending;
        this.pending = null;
        if (pending) agent.afterHeartbeat(pending);
        return;
      }
    }
  }

  private beat(first = false): void {
    this.phase = 'sleeping';
    const { loop, model } = this.agent.world;
    const at = loop.now + model.agent.heartbeatMs;
    this.sleep = at < this.proofEndsAt || (first && at === this.proofEndsAt) ? loop.wake(model.agent.heartbeatMs, this) : null;
  }

  private after(distribution: Distribution, next: 'extended' | 'leaseExtended'): void {
    this.phase = next;
    this.agent.world.loop.wake(sample(distribution, this.agent.randomStream), this);
  }
}
