import type { Tier } from '../../core/tiers.js';
import { overlapMs, WHOLE_TIME, type AccountingWindow } from '../world/accountingWindow.js';

/**
 * How one agent spent its life on proofs (epoch milliseconds of simulated time; 0 when it never proved). The proof
 * times count only what fell inside the ledger's accounting window (all of it by default).
 */
export interface AgentWork {
  firstProofAt: number;
  lastProofEndAt: number;
  /** Proof time of the first finished proof of each job this agent proved. */
  provedMs: number;
  /** Proof time of proofs of jobs someone had already proven (duplicates). */
  repeatedMs: number;
  /** Proof time cut short by SIGTERM or a vanished machine. */
  interruptedMs: number;
  /** When the proof in progress started. */
  proofStartedAt: number;
}

/**
 * What happened to the proofs: completions as the store records them (the first per job; later ones are
 * duplicates), proof-seconds of the first proof of each job (the work the block needed, for the compute lower
 * bound), attempts cut short, and which job each agent is proving now. With `audit` on it also keeps per-job
 * records for the simulator's invariant tests.
 */
export class ProofLedger {
  completions = 0;
  duplicates = 0;
  interrupted = 0;
  /** Job-seconds of the first finished proof of each job, per tier. */
  readonly neededSeconds: Record<Tier, number> = { heavy: 0, light: 0 };
  /** Job-seconds of every finished proof (duplicates included), per tier: the fleet's busy time. */
  readonly provingSeconds: Record<Tier, number> = { heavy: 0, light: 0 };
  /** Agents that started proving while already proving (must stay 0). */
  overlaps = 0;
  /** With `audit`: completions per job id (first or not), and attempts cut short per job id. */
  readonly completionsByJob = new Map<string, number>();
  readonly interruptionsByJob = new Map<string, number>();
  private readonly proven = new Set<string>();
  private readonly watched = new Map<string, number>();
  /** Per agent: its work so far and the job it is proving now (one lookup per event). */
  private readonly agents = new Map<string, AgentWork & { job: string | undefined }>();

  /** `now` is simulated time (epoch milliseconds), for the per-agent work records, which count proof time inside `accounting`. */
  constructor(
    private readonly audit = false,
    private readonly now: () => number = () => 0,
    private readonly accounting: AccountingWindow = WHOLE_TIME,
  ) {}

  /** An agent starts proving a job. */
  started(agentId: string, jobId: string): void {
    const agent = this.agentOf(agentId);
    if (agent.job !== undefined) this.overlaps++;
    agent.job = jobId;
    agent.proofStartedAt = this.now();
    if (agent.firstProofAt === 0) agent.firstProofAt = agent.proofStartedAt;
  }

  /** An agent's proof is ready (before it is stored and recorded). */
  proved(agentId: string, jobId: string, tier: Tier, seconds: number): void {
    const agent = this.agentOf(agentId);
    agent.job = undefined;
    agent.lastProofEndAt = this.now();
    this.provingSeconds[tier] += seconds;
    // The proof took its last `seconds` (the modelled proof time, as the breakdown counts it).
    const counted = overlapMs(agent.lastProofEndAt - seconds * 1_000, agent.lastProofEndAt, this.accounting);
    if (this.proven.has(jobId)) {
      agent.repeatedMs += counted;
      return;
    }
    agent.provedMs += counted;
    this.proven.add(jobId);
    this.neededSeconds[tier] += seconds;
  }

  /** The agent stopped without a proof (SIGTERM, its machine vanished); counted only if it was proving. */
  stopped(agentId: string): void {
    const agent = this.agents.get(agentId);
    const jobId = agent?.job;
    if (agent === undefined || jobId === undefined) return;
    agent.job = undefined;
    agent.lastProofEndAt = this.now();
    agent.interruptedMs += overlapMs(agent.proofStartedAt, agent.lastProofEndAt, this.accounting);
    this.interrupted++;
    if (this.audit) this.interruptionsByJob.set(jobId, (this.interruptionsByJob.get(jobId) ?? 0) + 1);
  }

  /** The store recorded a job done; `first` is false for a duplicate. */
  completed(jobId: string, first: boolean, now: number): void {
    if (first) {
      this.completions++;
      if (this.watched.get(jobId) === 0) this.watched.set(jobId, now);
    } else {
      this.duplicates++;
    }
    if (this.audit) this.completionsByJob.set(jobId, (this.completionsByJob.get(jobId) ?? 0) + 1);
  }

  /** How an agent spent its time on proofs; undefined if it never started one. */
  workBy(agentId: string): Readonly<AgentWork> | undefined {
    return this.agents.get(agentId);
  }

  private agentOf(agentId: string): AgentWork & { job: string | undefined } {
    let agent = this.agents.get(agentId);
    if (!agent) {
      agent = { firstProofAt: 0, lastProofEndAt: 0, provedMs: 0, repeatedMs: 0, interruptedMs: 0, proofStartedAt: 0, job: undefined };
      this.agents.set(agentId, agent);
    }
    return agent;
  }

  /** The job `agentId` is proving now, if any. */
  current(agentId: string): string | undefined {
    return this.agents.get(agentId)?.job;
  }

  /** Starts waiting for these jobs to be completed (after a fault took them away). */
  watch(jobIds: readonly string[]): void {
    for (const jobId of jobIds) this.watched.set(jobId, 0);
  }

  /** When the last watched job was completed; null while one is still outstanding, 0 if none was watched. */
  watchedDoneAt(): number | null {
    let last = 0;
    for (const at of this.watched.values()) {
      if (at === 0) return null;
      last = Math.max(last, at);
    }
    return last;
  }
}
