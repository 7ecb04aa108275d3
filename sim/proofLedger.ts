import type { Tier } from '../core/tiers.js';

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
  /** Agents that started proving while already proving (must stay 0). */
  overlaps = 0;
  /** With `audit`: completions per job id (first or not), and attempts cut short per job id. */
  readonly completionsByJob = new Map<string, number>();
  readonly interruptionsByJob = new Map<string, number>();
  private readonly proving = new Map<string, string>();
  private readonly proven = new Set<string>();
  private readonly watched = new Map<string, number>();

  constructor(private readonly audit = false) {}

  /** An agent starts proving a job. */
  started(agentId: string, jobId: string): void {
    if (this.proving.has(agentId)) this.overlaps++;
    this.proving.set(agentId, jobId);
  }

  /** An agent's proof is ready (before it is stored and recorded). */
  proved(agentId: string, jobId: string, tier: Tier, seconds: number): void {
    this.proving.delete(agentId);
    if (this.proven.has(jobId)) return;
    this.proven.add(jobId);
    this.neededSeconds[tier] += seconds;
  }

  /** The agent stopped without a proof (SIGTERM, its machine vanished); counted only if it was proving. */
  stopped(agentId: string): void {
    const jobId = this.proving.get(agentId);
    if (jobId === undefined) return;
    this.proving.delete(agentId);
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

  /** The job `agentId` is proving now, if any. */
  current(agentId: string): string | undefined {
    return this.proving.get(agentId);
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
