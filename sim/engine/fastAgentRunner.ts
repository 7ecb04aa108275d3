import { idleExitDue } from '../../core/agent/idleExit.js';
import { interruptionVerdict } from '../../core/agent/interruptionNotice.js';
import type { AgentSummary } from '../../core/agent/runAgent.js';
import { leaveDecision, type LeaveSpell } from '../../core/agent/leaveCheck.js';
import { PRESENCE_REFRESH_MS, type InstancePresence } from '../../core/ports/instancePresence.js';
import type { Synchronous } from '../../core/ports/synchronous.js';
import type { PublishedTarget } from '../../core/ports/fleetTargets.js';
import { afterLease, leaseRequestFor, type LeaseNext } from '../../core/jobs/afterLease.js';
import { childProofsOf, type ChildProof } from '../../core/jobs/childProofs.js';
import { isProvable } from '../../core/jobs/provableRun.js';
import { parentRelease, parentToEnqueue } from '../../core/jobs/releaseParent.js';
import { returnedMessage, runDue } from '../../core/jobs/urgency.js';
import { runRecordFresh } from '../../core/run/runContexts.js';
import type { ReleaseOutcome } from '../../core/ports/jobStore.js';
import type { ProvingRun } from '../../core/ports/provingRun.js';
import type { Delivery } from '../../core/ports/workQueue.js';
import { seededRandom } from '../../core/random/seededRandom.js';
import type { Tier } from '../../core/tiers.js';
import { sample, type Distribution } from '../model/distribution.js';
import { SIM_SECONDS_PER_EXPECTED_SECOND } from '../model/scalerSettings.js';
import type { EventTarget, ScheduledEvent } from './eventLoop.js';
import type { AgentHandle, FleetAgent } from '../world/fleet.js';
import { simInstancePresence } from '../world/simInstancePresence.js';
import { proofSeconds } from '../model/proofSeconds.js';
import type { SimRun, SimWorld } from './simWorld.js';
import type { QueueWaiter } from '../world/simWorkQueue.js';

/**
 * The fast path: the core agent loop (`runAgent` → `handleDelivery`, with `keepAlive`) driven as a synchronous state
 * machine, because the real async loop costs ~50 µs of promise and AbortSignal plumbing per event and a 61,440-tx
 * block needs millions of events.
 *
 * It decides nothing itself: every rule comes from `core/jobs` — whether the run is provable, the lease request and
 * what its outcome means, which child proofs to read, the parent release and whether to enqueue the parent — and the
 * store is the shared one with the store's own rules. What is left here is the scheduling a synchronous virtual
 * clock needs: the same requests in the same order as the real loop, each answering after a latency drawn from the
 * same per-agent stream at the same point; SIGTERM as the real loop's abort listeners see it (an agent told to stop
 * while proving returns its job at once; one told to stop before its proof started proves it to the end); Spot's
 * notice as `handleDelivery` takes it (`interruptionVerdict`: finish the proof in hand when it fits, with a hand-back
 * time should it run on, else hand it back; judged at the proof's start when the notice came before it); the
 * heartbeat's calls delaying the agent when the proof ends mid-heartbeat. Each phase below is one `await` of the real
 * code. `fastAgentRunner.test.ts` checks the two against each other event for event. What it skips: `ProofJob`
 * records, proof bytes and their sha256 (a digest here is `<job>#<attempt>`), prover failures (the model has none),
 * and the poison-message and corrupt-artifact paths (the model corrupts nothing).
 */
export function fastAgentRunner(world: SimWorld): (agent: FleetAgent) => AgentHandle {
  return (agent) => new FastAgent(world, agent);
}

/** Plans an agent keeps, as the agent image configures `createRunContexts` (batch-images/agent/startAgent.ts). */
export const MAX_PLANS = 2;

/** Where the agent is: each name is what it does once its pending request (or wait) is over. */
type Phase =
  | 'polling'
  | 'received'
  | 'planned'
  | 'leased'
  | 'childrenRead'
  | 'proving'
  | 'put'
  | 'completed'
  | 'parentReleased'
  | 'parentSent'
  | 'acked'
  | 'skipReleased'
  | 'leaseReturned'
  | 'stopReturned'
  | 'stopResent'
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
  private leaveCheckedAt = -Infinity;
  /** The target read at the last leave check (the idle exit's too, as in runAgent). */
  private target: PublishedTarget | null = null;
  /** The spell of leaves the leave rule remembers (`leaveDecision`), as runAgent keeps it. */
  private spell: LeaveSpell | null = null;
  /** The agents of its instance (the instance it was started on). */
  private readonly presence: Synchronous<InstancePresence>;
  private poll: ScheduledEvent | null = null;
  private pollCancel: (() => void) | null = null;
  /** `createRunContexts`' caches: run records by id with when they were read, and the plans built (oldest first). */
  private readonly runsRead = new Map<string, { readonly run: ProvingRun; readonly readAt: number }>();
  private readonly plansBuilt = new Set<string>();
  /** The simulated block of the delivery in hand (its plan, job ids and draw keys). */
  private entry: SimRun | null = null;
  private readonly random: () => number;
  private readonly heartbeat: Heartbeat;
  // The delivery in hand and what the real code keeps in local variables while handling it.
  private delivery: Delivery | null = null;
  private run: ProvingRun | null = null;
  private index = -1;
  private jobId = '';
  private lease: LeaseNext | null = null;
  private children: readonly ChildProof[] = [];
  /** The first child the lease does not list (children.length when it lists them all). */
  private childCursor = 0;
  /** When each S3 GET counted ahead of a wait that spans several requests starts (see `readAhead`). */
  private readonly readsAhead: number[] = [];
  private attempt = 0;
  private seconds = 0;
  private proof: ScheduledEvent | null = null;
  /** The stop listener `handleDelivery` adds just before proving (absent if the agent was already told to stop). */
  private listening = false;
  /** When Spot's notice came (null: it has not). */
  private noticedAt: number | null = null;
  /** When the proof in hand, let finish on the notice, is handed back should it run on (`finishOrHandBack`'s sleep). */
  private noticeDeadline: ScheduledEvent | null = null;
  private proofStartedAt = 0;
  private expectedSeconds = 0;
  /** `runAgent`'s `keepPresent` while a delivery is handled: the next refresh of the agent's announcement. */
  private presenceRefresh: ScheduledEvent | null = null;
  private completion: { readonly first: boolean; readonly digest: string } | null = null;
  private release: ReleaseOutcome | null = null;
  private afterRelease: Outcome = 'other';
  private afterAck: Outcome = 'other';

  constructor(
    readonly world: SimWorld,
    private readonly agent: FleetAgent,
  ) {
    this.random = seededRandom(`${world.seed}/${agent.id}`);
    this.heartbeat = new Heartbeat(this);
    this.presence = simInstancePresence(agent);
    this.idleSince = this.now;
    this.top();
  }

  get now(): number {
    return this.world.loop.now;
  }

  get visibilityMs(): number {
    return this.world.model.agent.visibilityMs;
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

  /** When a request made at `at` answers: its latency drawn from this agent's stream, as `latency` would at `at`. */
  private answerAt(at: number, distribution: Distribution): number {
    return at + Math.max(0, sample(distribution, this.random));
  }

  /**
   * An S3 GET made at `at`, within a wait that spans several requests in a row (nothing another agent or the scaler
   * sees happens until its end, so they are one event). Its latency is drawn now, in the order the step-by-step
   * loop would draw it; it is counted now, and its start kept, so a machine that vanishes before `at` un-counts it.
   */
  private readAhead(at: number): number {
    this.world.counts.s3Gets++;
    if (at > this.now) this.readsAhead.push(at);
    return this.answerAt(at, this.latencies.s3Get);
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

  /** Spot's notice: a long poll ends empty; a proof in hand is judged (`handleDelivery`'s `finishOrHandBack`). */
  notice(): void {
    if (this.noticedAt !== null) return;
    this.noticedAt = this.now;
    if (this.poll) {
      this.endPoll();
      this.received(null);
    } else if (this.proof) {
      this.finishOrHandBack(this.now - this.proofStartedAt);
    }
  }

  kill(): void {
    this.dead = true;
    this.busy = false;
    if (this.poll) this.endPoll();
    // GETs counted ahead that the agent never got to start.
    for (const at of this.readsAhead) if (at > this.now) this.world.counts.s3Gets--;
    this.readsAhead.length = 0;
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
      case 'planned':
        this.readsAhead.length = 0;
        return this.withRun();
      case 'leased':
        return this.leased();
      case 'childrenRead':
        this.readsAhead.length = 0;
        return this.childrenRead();
      case 'proving':
        this.proof = null;
        this.listening = false;
        this.endNoticeDeadline();
        this.world.ledger.proved(this.agent.id, this.jobId, this.agent.tier, this.seconds);
        return this.heartbeat.end('proved');
      case 'put':
        this.completion = this.world.store.completeJob(this.runId, this.jobId, `${this.jobId}#${this.attempt}`, this.now);
        return this.latency(this.latencies.dynamodb, 'completed');
      case 'completed':
        return this.releaseParent(this.completion!.digest, 'proved');
      case 'parentReleased': {
        const enqueue = parentToEnqueue(this.release!, this.entry!.plan, this.index, runDue(this.run!, SIM_SECONDS_PER_EXPECTED_SECOND));
        if (!enqueue) return this.released();
        this.world.queue.send(enqueue.tier, [enqueue.message]);
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
        // `handleDelivery`: the job goes back due now, in the urgent lane; then the held message is deleted.
        this.world.queue.send(this.agent.tier, [returnedMessage(this.delivery!.message, this.now / 1_000)]);
        return this.latency(this.latencies.sqs, 'stopResent');
      case 'stopResent':
        this.world.queue.ack(this.agent.tier, this.receipt);
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

  // runAgent: leave if the tier runs above its target (the emptiest instances first); long-poll for one delivery; exit when stopped, or idle for
  // idleExitMs.
  private top(): void {
    if (this.stopped || this.noticedAt !== null) return this.exit('stopped');
    if (this.leaving()) return this.exit('left');
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

  /**
   * runAgent's check between jobs, at most every leaveCheckMs: announce the agent on its instance, read the target,
   * claim a leave when the rule says so.
   */
  private leaving(): boolean {
    const settings = this.world.model.agent;
    if (this.now - this.leaveCheckedAt < settings.leaveCheckMs) return false;
    this.leaveCheckedAt = this.now;
    const { targets } = this.world;
    const occupancy = this.presence.announce(this.agent.id, this.now);
    this.target = targets.get(this.agent.tier);
    const decision = leaveDecision({ target: this.target, occupancy, spell: this.spell, nowMs: this.now }, settings);
    this.spell = decision.spell;
    return decision.claim && targets.claimLeave(this.agent.tier);
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
      if (idleExitDue(this.idleSince, this.now, this.world.model.agent, this.target)) return this.exit('idle');
      return this.top();
    }
    this.delivery = delivery;
    if (this.stopped || this.noticedAt !== null) {
      this.world.queue.release(this.agent.tier, delivery.receipt, 0);
      return this.latency(this.latencies.sqs, 'releasedUnhandled');
    }
    this.handle();
  }

  private done(): void {
    this.endPresenceRefresh();
    this.delivery = null;
    this.idleSince = this.now;
    this.top();
  }

  private exit(why: AgentSummary['exit']): void {
    this.presence.withdraw(this.agent.id);
    this.world.fleet().agentExited(this.agent, why);
  }

  // handleDelivery, from RunContexts.get onwards. The requests up to the lease (the run record, the body, planning)
  // and from the lease to the proof (the children's proofs, one after another) change nothing another agent or the
  // scaler sees: each stretch is one wait, its latencies drawn in the order and summed as the clock would add them.
  private handle(): void {
    this.refreshPresenceIn(PRESENCE_REFRESH_MS);
    const runId = this.delivery!.message.runId;
    this.entry = this.world.runOf(runId);
    const cached = this.runsRead.get(runId);
    if (cached && runRecordFresh(cached.readAt, this.now, this.world.model.agent.runTtlMs)) {
      this.run = cached.run;
      return this.withPlan();
    }
    this.run = this.world.store.getRun(runId)!;
    const readAt = this.answerAt(this.now, this.latencies.dynamodb);
    this.runsRead.set(runId, { run: this.run, readAt });
    this.phase = 'planned';
    this.world.loop.wakeAt(this.plansBuilt.has(runId) ? readAt : this.buildPlan(readAt), this);
  }

  private withPlan(): void {
    if (this.plansBuilt.has(this.run!.runId)) return this.withRun();
    this.phase = 'planned';
    this.world.loop.wakeAt(this.buildPlan(this.now), this);
  }

  /** The body fetched from `at`, then planned (the real contexts keep the most recent few plans): when it is ready. */
  private buildPlan(at: number): number {
    const bodyAt = this.readAhead(at);
    const builtAt = bodyAt + Math.max(0, sample(this.world.model.agent.planBuildSeconds, this.random) * 1_000);
    this.plansBuilt.add(this.run!.runId);
    if (this.plansBuilt.size > MAX_PLANS) this.plansBuilt.delete(this.plansBuilt.values().next().value!);
    return builtAt;
  }

  private withRun(): void {
    const run = this.run!;
    if (!isProvable(run)) return this.ack('other');
    const { world } = this;
    this.index = this.delivery!.message.jobIndex;
    this.jobId = this.entry!.jobIds[this.index]!;
    const lease = world.store.leaseJob(leaseRequestFor(run.runId, this.jobId, this.agent.id, this.now, world.model.agent));
    const leasedAt = this.answerAt(this.now, this.latencies.dynamodb);
    // What the agent does once the lease answers (decided as it would be then).
    this.lease = afterLease(lease, leasedAt, world.model.agent);
    if (this.lease.kind !== 'prove') {
      this.phase = 'leased';
      this.world.loop.wakeAt(leasedAt, this);
      return;
    }
    // `readChildProofs`: each child's proof in input order; a child the lease does not list sends the job back.
    this.children = childProofsOf(this.entry!.plan, this.index, this.lease.children);
    let at = leasedAt;
    let child = 0;
    for (; child < this.children.length && this.children[child]!.digest !== undefined; child++) at = this.readAhead(at);
    this.childCursor = child;
    this.phase = 'childrenRead';
    this.world.loop.wakeAt(at, this);
  }

  private leased(): void {
    const next = this.lease!;
    switch (next.kind) {
      case 'done':
        return this.releaseParent(next.digest, 'other');
      case 'retry':
        this.world.queue.release(this.agent.tier, this.receipt, next.delayMs);
        return this.latency(this.latencies.sqs, 'skipReleased');
      case 'prove':
        return this.childrenRead();
    }
  }

  private childrenRead(): void {
    if (this.childCursor === this.children.length) return this.prove();
    this.world.store.returnLease(this.runId, this.jobId, this.agent.id);
    return this.latency(this.latencies.dynamodb, 'leaseReturned');
  }

  private prove(): void {
    const { world } = this;
    const entry = this.entry!;
    this.expectedSeconds = entry.plan.expectedSeconds[this.index]!;
    // Told of the interruption before proving: only what fits is started; the rest goes back (lease, then message).
    if (this.noticedAt !== null && this.verdict(0).kind === 'handBack') {
      world.store.returnLease(this.runId, this.jobId, this.agent.id);
      return this.latency(this.latencies.dynamodb, 'stopReturned');
    }
    this.busy = true;
    world.ledger.started(this.agent.id, this.jobId);
    this.attempt = world.attempts.get(this.jobId) ?? 0;
    world.attempts.set(this.jobId, this.attempt + 1);
    this.seconds = proofSeconds(this.expectedSeconds, world.model.proofs.spreadSigma, world.seedKey, entry.jobKeys[this.index]!, this.attempt);
    this.proofStartedAt = this.now;
    if (this.noticedAt !== null) this.finishOrHandBack(0);
    this.heartbeat.start(this.now + this.seconds * 1_000);
    this.phase = 'proving';
    this.proof = world.loop.wake(this.seconds * 1_000, this);
    this.listening = !this.stopped;
  }

  private verdict(provingForMs: number) {
    const expectedSeconds = this.expectedSeconds * SIM_SECONDS_PER_EXPECTED_SECOND;
    const proof = { expectedSeconds, provingForMs, sinceNoticeMs: this.now - this.noticedAt! };
    return interruptionVerdict(proof, this.world.model.agent);
  }

  /** The notice with a proof in hand: let it finish until its hand-back time, or cut it short now. */
  private finishOrHandBack(provingForMs: number): void {
    const verdict = this.verdict(provingForMs);
    if (verdict.kind === 'handBack') return this.abortProof();
    this.noticeDeadline = this.world.loop.wake(verdict.handBackInMs, {
      step: () => {
        this.noticeDeadline = null;
        if (!this.dead && this.proof) this.abortProof();
      },
    });
  }

  /** Announces the agent on its instance every `PRESENCE_REFRESH_MS` while it handles a delivery (`keepPresent`). */
  private refreshPresenceIn(ms: number): void {
    this.presenceRefresh = this.world.loop.wake(ms, {
      step: () => {
        if (this.dead) return;
        this.presence.announce(this.agent.id, this.now);
        this.refreshPresenceIn(PRESENCE_REFRESH_MS);
      },
    });
  }

  private endPresenceRefresh(): void {
    if (this.presenceRefresh) this.presenceRefresh.cancelled = true;
    this.presenceRefresh = null;
  }

  private endNoticeDeadline(): void {
    if (this.noticeDeadline) this.noticeDeadline.cancelled = true;
    this.noticeDeadline = null;
  }

  /** SIGTERM, or Spot's notice, while proving: the proof and heartbeat sleep end at once, the job goes back (lease, then message). */
  private abortProof(): void {
    this.listening = false;
    this.proof!.cancelled = true;
    this.proof = null;
    this.endNoticeDeadline();
    this.heartbeat.abort();
    this.world.store.returnLease(this.runId, this.jobId, this.agent.id);
    this.latency(this.latencies.dynamodb, 'stopReturned');
  }

  /** `releaseParent`: records the job on its parent (the enqueue follows its answer); the root ends the walk. */
  private releaseParent(digest: string, then: Outcome): void {
    const { world } = this;
    this.afterRelease = then;
    const release = parentRelease(this.entry!.plan, this.index, digest, this.agent.id, this.now, world.model.agent);
    if (release.kind === 'root') {
      void world.rootProven(this.runId, release.digest);
      return this.released();
    }
    this.release = world.store.releaseParent(release.request);
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
        world.store.extendLease(leaseRequestFor(agent.runId, agent.job, agent.agentId, agent.now, model.agent));
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
