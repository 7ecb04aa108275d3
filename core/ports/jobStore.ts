import type { ProvingRun, RunPatch, RunState } from './provingRun.js';

/** A job's state in the store; a job nobody touched yet has no record at all. */
export type JobState = 'waiting' | 'leased' | 'done' | 'failed';

export interface JobRecord {
  readonly runId: string;
  readonly jobId: string;
  readonly state: JobState;
  /** Attempts that ended in a prover failure (a returned lease is not an attempt). */
  readonly failures: number;
  readonly leaseOwner: string;
  readonly leaseExpiresAt: number;
  /** Digest of this job's proof once done. */
  readonly digest: string;
  /** Digests of the children that are done, by child job id. */
  readonly children: Readonly<Record<string, string>>;
  /** Who claimed the right to enqueue this job once its children were all done, and when. */
  readonly claimedBy: string;
  readonly claimedAt: number;
  readonly lastError: string;
}

export interface LeaseRequest {
  readonly runId: string;
  readonly jobId: string;
  readonly owner: string;
  readonly now: number;
  readonly leaseMs: number;
}

/** What happened when an agent asked for a job. */
export type LeaseOutcome =
  | {
      readonly kind: 'leased';
      readonly failures: number;
      /** Digests of the job's done children, by child id: the proofs it consumes. */
      readonly children: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'done'; readonly digest: string }
  | { readonly kind: 'held'; readonly owner: string; readonly expiresAt: number }
  | { readonly kind: 'failed'; readonly error: string };

export interface ReleaseParentRequest {
  readonly runId: string;
  readonly parentId: string;
  readonly childId: string;
  readonly childDigest: string;
  /** How many children the parent has; it is ready when all are recorded. */
  readonly depCount: number;
  readonly claimant: string;
  readonly now: number;
  /** A claim older than this, on a parent nobody leased, may be taken over (its claimant died before enqueueing). */
  readonly staleClaimMs: number;
}

/** `enqueue` is true for exactly one caller per ready parent (or a caller taking over a stale claim). */
export interface ReleaseOutcome {
  readonly enqueue: boolean;
  readonly ready: boolean;
  /** Every recorded child digest; complete when `ready`. */
  readonly children: Readonly<Record<string, string>>;
}

export interface FailureRequest {
  readonly runId: string;
  readonly jobId: string;
  readonly owner: string;
  readonly error: string;
  readonly now: number;
  readonly maxFailures: number;
}

/** A stored value with a version for compare-and-set (the watcher's L1 cursor). */
export interface Versioned<T> {
  readonly value: T;
  readonly version: number;
}

/**
 * Runs, jobs and cursors. Every job operation is a single conditional write, so duplicate deliveries and crashed
 * agents cannot double-complete a job or release a parent twice. Job records are created lazily: a 61,440-tx block
 * costs no writes up front.
 */
export interface JobStore {
  /** Creates the run if absent; an existing run is returned unchanged (re-planning is a no-op). */
  createRun(run: ProvingRun): Promise<{ readonly created: boolean; readonly run: ProvingRun }>;
  getRun(runId: string): Promise<ProvingRun | null>;
  /** Moves the run to `to` if it is in one of `from`; returns the updated run, or null if it was not. */
  transitionRun(
    runId: string,
    from: readonly RunState[],
    to: RunState,
    patch: RunPatch,
    now: number,
  ): Promise<ProvingRun | null>;
  listRuns(states: readonly RunState[]): Promise<ProvingRun[]>;

  /** Leases a job that is neither done, failed, nor validly leased by someone else. */
  leaseJob(request: LeaseRequest): Promise<LeaseOutcome>;
  /** Extends the owner's lease; false when the owner no longer holds it. */
  extendLease(request: LeaseRequest): Promise<boolean>;
  /** Gives a lease back without counting an attempt (SIGTERM, or a child proof must be redone). */
  returnLease(runId: string, jobId: string, owner: string): Promise<void>;
  /** Marks the job done with its proof digest; `first` is false when it was already done (the first digest stays). */
  completeJob(
    runId: string,
    jobId: string,
    digest: string,
    now: number,
  ): Promise<{ readonly first: boolean; readonly digest: string }>;
  /** Records a done child on its parent and says whether this caller must enqueue the parent. */
  releaseParent(request: ReleaseParentRequest): Promise<ReleaseOutcome>;
  /**
   * Counts the lease holder's failed attempt and drops its lease; at `maxFailures` the job is failed for good. A
   * failure reported by an agent that no longer holds the job, or after it is done, changes nothing.
   */
  recordFailure(request: FailureRequest): Promise<{ readonly failures: number; readonly exhausted: boolean }>;
  /**
   * Forgets a done job's proof whose artifact turned out corrupt or missing (only if it is still `digest`), and
   * removes it from its parent's children, so the job is proven again and the parent waits for it.
   */
  invalidateProof(runId: string, jobId: string, digest: string, parentId: string | null): Promise<boolean>;
  getJob(runId: string, jobId: string): Promise<JobRecord | null>;
  /** Several records at once, in the order asked (null where a job has none); used to find the ready frontier. */
  getJobs(runId: string, jobIds: readonly string[]): Promise<(JobRecord | null)[]>;

  getCursor<T>(name: string): Promise<Versioned<T> | null>;
  /** Writes the cursor if its version is still `expectedVersion` (null: must not exist); false otherwise. */
  putCursor<T>(name: string, value: T, expectedVersion: number | null): Promise<boolean>;
}
