import type { LeaseOutcome, LeaseRequest } from '../ports/jobStore.js';
import type { JobRuleSettings } from './jobRuleSettings.js';

/** What to do with a delivered job once the store answered its lease. */
export type LeaseNext =
  /** Ours: prove it from these children's proofs (digests by child id). */
  | { readonly kind: 'prove'; readonly children: Readonly<Record<string, string>> }
  /**
   * Proven already (a duplicate, or a redelivery after a crash between completing and releasing): record it on its
   * parent again, which is idempotent, and acknowledge the message.
   */
  | { readonly kind: 'done'; readonly digest: string }
  /** Not ours now: make the message visible again after `delayMs`. */
  | { readonly kind: 'retry'; readonly delayMs: number; readonly why: string };

/** The lease an agent asks for on a delivered job: as long as the message stays invisible. */
export function leaseRequestFor(
  runId: string,
  jobId: string,
  owner: string,
  now: number,
  settings: Pick<JobRuleSettings, 'visibilityMs'>,
): LeaseRequest {
  return { runId, jobId, owner, now, leaseMs: settings.visibilityMs };
}

/**
 * Decides from a lease outcome. A job held by another agent comes back when that lease would expire (at least 1 s
 * and at most one visibility from now), so a dead holder's job is taken over promptly and a live one's is not
 * re-received in a tight loop; a job failed for good comes back after the retry delay until its message dead-letters.
 */
export function afterLease(lease: LeaseOutcome, now: number, settings: Pick<JobRuleSettings, 'visibilityMs' | 'retryDelayMs'>): LeaseNext {
  switch (lease.kind) {
    case 'leased':
      return { kind: 'prove', children: lease.children };
    case 'done':
      return { kind: 'done', digest: lease.digest };
    case 'held':
      return {
        kind: 'retry',
        delayMs: Math.max(1_000, Math.min(lease.expiresAt - now, settings.visibilityMs)),
        why: `leased by ${lease.owner}`,
      };
    case 'failed':
      return { kind: 'retry', delayMs: settings.retryDelayMs, why: 'failed for good' };
  }
}
