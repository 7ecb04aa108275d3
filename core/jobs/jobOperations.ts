import type { JobRecord, JobStore } from '../ports/jobStore.js';
import type { Synchronous } from '../ports/synchronous.js';
import {
  completeTransition,
  extendTransition,
  failureTransition,
  forgetChildTransition,
  invalidateTransition,
  leaseTransition,
  releaseTransition,
  returnTransition,
} from './jobTransitions.js';

/**
 * One atomic read-modify-write over job records of one run: the store reads `jobIds` (null where a job has no
 * record), hands them to `apply`, writes back what it returns in `writes` (records keyed by their own run and job
 * id) and answers `result`, all in one transaction.
 */
export interface JobStep<T> {
  readonly runId: string;
  readonly jobIds: readonly string[];
  apply(records: readonly (JobRecord | null)[]): { readonly writes: readonly JobRecord[]; readonly result: T };
}

/** The job store's job operations: what `jobOperations` derives from a store's one transaction primitive. */
export type JobOperations = Pick<
  JobStore,
  'leaseJob' | 'extendLease' | 'returnLease' | 'completeJob' | 'releaseParent' | 'recordFailure' | 'invalidateProof'
>;

/**
 * The job operations of a store that can run a `JobStep` atomically (LMDB's transactions, the simulator's maps):
 * every operation is one step applying the transition rules of `jobTransitions.ts`, so such stores differ only in
 * how they read and write a record. The DynamoDB store states the same rules as conditional writes instead.
 */
export function jobOperations(transact: <T>(step: JobStep<T>) => Promise<T>): JobOperations;
export function jobOperations(transact: <T>(step: JobStep<T>) => T): Synchronous<JobOperations>;
export function jobOperations(transact: <T>(step: JobStep<T>) => unknown): unknown {
  /** A step over one record: `next` is written unless null. */
  const onOne = <T>(runId: string, jobId: string, rule: (current: JobRecord | null) => { next: JobRecord | null; result: T }) =>
    transact<T>({
      runId,
      jobIds: [jobId],
      apply: ([current]) => {
        const { next, result } = rule(current ?? null);
        return { writes: next ? [next] : [], result };
      },
    });
  return {
    leaseJob: (request) =>
      onOne(request.runId, request.jobId, (current) => {
        const { next, outcome } = leaseTransition(current, request);
        return { next, result: outcome };
      }),
    extendLease: (request) =>
      onOne(request.runId, request.jobId, (current) => {
        const next = extendTransition(current, request);
        return { next, result: next !== null };
      }),
    returnLease: (runId, jobId, owner) =>
      onOne(runId, jobId, (current) => ({ next: returnTransition(current, owner), result: undefined })),
    completeJob: (runId, jobId, digest) =>
      onOne(runId, jobId, (current) => {
        const { next, first, digest: winner } = completeTransition(current, runId, jobId, digest);
        return { next, result: { first, digest: winner } };
      }),
    releaseParent: (request) =>
      onOne(request.runId, request.parentId, (current) => {
        const { next, outcome } = releaseTransition(current, request);
        return { next, result: outcome };
      }),
    recordFailure: (request) =>
      onOne(request.runId, request.jobId, (current) => {
        const { next, failures, exhausted } = failureTransition(current, request);
        return { next, result: { failures, exhausted } };
      }),
    // The job and its parent in one step: a crash between them would leave the parent holding the corrupt digest.
    invalidateProof: (runId, jobId, digest, parentId) =>
      transact({
        runId,
        jobIds: parentId === null ? [jobId] : [jobId, parentId],
        apply: ([job, parent]) => {
          const next = invalidateTransition(job ?? null, digest);
          if (!next) return { writes: [], result: false };
          const forgotten = parentId === null ? null : forgetChildTransition(parent ?? null, jobId);
          return { writes: forgotten ? [next, forgotten] : [next], result: true };
        },
      }),
  } satisfies { [K in keyof JobOperations]: (...args: Parameters<JobOperations[K]>) => unknown };
}
