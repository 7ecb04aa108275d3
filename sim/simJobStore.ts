import type { JobRecord, JobStore, Versioned } from '../core/ports/jobStore.js';
import type { ProvingRun } from '../core/ports/provingRun.js';
import {
  completeTransition,
  extendTransition,
  failureTransition,
  forgetChildTransition,
  invalidateTransition,
  leaseTransition,
  releaseTransition,
  returnTransition,
} from '../adapters/embedded/jobTransitions.js';
import type { ControlPlaneCounts } from './controlPlaneMeter.js';
import type { Synchronous } from './delayedPort.js';

/**
 * The simulated DynamoDB table: the job store's rules (`jobTransitions`, the same functions the embedded and AWS
 * stores apply) over in-memory records, answered synchronously. Each call counts as one request unit, as every job
 * item stays under 1 KB; ports with latency wrap it (`delayedPort`).
 */
export function createSimJobStore(counts: ControlPlaneCounts): Synchronous<JobStore> {
  const runs = new Map<string, ProvingRun>();
  const jobs = new Map<string, Map<string, JobRecord>>();
  const cursors = new Map<string, Versioned<unknown>>();
  const jobsOf = (runId: string) => {
    let records = jobs.get(runId);
    if (!records) {
      records = new Map();
      jobs.set(runId, records);
    }
    return records;
  };
  /** One conditional write: apply the rule, store what changed. */
  const update = <T>(runId: string, jobId: string, apply: (current: JobRecord | null) => { next: JobRecord | null; result: T }) => {
    counts.dynamodbWrites++;
    const records = jobsOf(runId);
    const { next, result } = apply(records.get(jobId) ?? null);
    if (next) records.set(jobId, next);
    return result;
  };

  return {
    createRun(run) {
      counts.dynamodbWrites++;
      const existing = runs.get(run.runId);
      if (existing) return { created: false, run: existing };
      runs.set(run.runId, run);
      return { created: true, run };
    },
    getRun(runId) {
      counts.dynamodbReads++;
      return runs.get(runId) ?? null;
    },
    transitionRun(runId, from, to, patch, now) {
      counts.dynamodbWrites++;
      const run = runs.get(runId);
      if (!run || !from.includes(run.state)) return null;
      const next: ProvingRun = { ...run, ...patch, state: to, updatedAt: now };
      runs.set(runId, next);
      return next;
    },
    listRuns(states) {
      counts.dynamodbReads++;
      return [...runs.values()].filter((run) => states.includes(run.state));
    },
    leaseJob: (request) =>
      update(request.runId, request.jobId, (current) => {
        const { next, outcome } = leaseTransition(current, request);
        return { next, result: outcome };
      }),
    extendLease: (request) =>
      update(request.runId, request.jobId, (current) => {
        const next = extendTransition(current, request);
        return { next, result: next !== null };
      }),
    returnLease: (runId, jobId, owner) =>
      update(runId, jobId, (current) => ({ next: returnTransition(current, owner), result: undefined })),
    completeJob: (runId, jobId, digest) =>
      update(runId, jobId, (current) => {
        const { next, first, digest: winner } = completeTransition(current, runId, jobId, digest);
        return { next, result: { first, digest: winner } };
      }),
    releaseParent: (request) =>
      update(request.runId, request.parentId, (current) => {
        const { next, outcome } = releaseTransition(current, request);
        return { next, result: outcome };
      }),
    recordFailure: (request) =>
      update(request.runId, request.jobId, (current) => {
        const { next, failures, exhausted } = failureTransition(current, request);
        return { next, result: { failures, exhausted } };
      }),
    invalidateProof(runId, jobId, digest, parentId) {
      counts.dynamodbWrites++;
      const records = jobsOf(runId);
      const next = invalidateTransition(records.get(jobId) ?? null, digest);
      if (!next) return false;
      records.set(jobId, next);
      if (parentId !== null) {
        const parent = forgetChildTransition(records.get(parentId) ?? null, jobId);
        if (parent) records.set(parentId, parent);
      }
      return true;
    },
    getJob(runId, jobId) {
      counts.dynamodbReads++;
      return jobs.get(runId)?.get(jobId) ?? null;
    },
    getJobs(runId, jobIds) {
      counts.dynamodbReads += jobIds.length;
      const records = jobs.get(runId);
      return jobIds.map((jobId) => records?.get(jobId) ?? null);
    },
    getCursor<T>(name: string) {
      counts.dynamodbReads++;
      return (cursors.get(name) as Versioned<T> | undefined) ?? null;
    },
    putCursor(name, value, expectedVersion) {
      counts.dynamodbWrites++;
      const current = cursors.get(name);
      if ((current?.version ?? null) !== expectedVersion) return false;
      cursors.set(name, { value, version: (current?.version ?? 0) + 1 });
      return true;
    },
  };
}
