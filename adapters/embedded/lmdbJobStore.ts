import { open, type Database, type RootDatabase } from 'lmdb';
import { closeLmdb } from './closeLmdb.js';
import type { JobRecord, JobStore, Versioned } from '../../core/ports/jobStore.js';
import type { ProvingRun, RunState } from '../../core/ports/provingRun.js';
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
import { fromStoredRun, toStoredRun, type StoredRun } from './runRecord.js';

export interface LmdbJobStore extends JobStore {
  /** Every job record of a run (recovery after a restart rebuilds the in-memory queues from these). */
  jobRecords(runId: string): Promise<JobRecord[]>;
  /**
   * Drops every lease: on a restart the agents that held them died with the previous process, so their jobs are
   * free at once instead of after their lease times out. Returns how many were dropped.
   */
  releaseAllLeases(): Promise<number>;
  close(): Promise<void>;
}

/** The named databases of a job store's environment (what a check before opening must read). */
export const LMDB_JOB_STORE_DATABASES = ['runs', 'jobs', 'cursors'] as const;

/**
 * The embedded job store: LMDB on disk. LMDB is copy-on-write, so a `kill -9` at any moment leaves the last
 * committed state. Data pages are synced on commit but the meta page is not (`noMetaSync`): integrity holds even
 * through a power cut, which may undo only the last transaction, and commits run twice as fast. lmdb-js batches
 * concurrent transactions into one commit, which is what makes thousands of conditional writes a second possible.
 */
export function openLmdbJobStore(path: string): LmdbJobStore {
  const root: RootDatabase = open({ path, compression: false, noMetaSync: true });
  const runs: Database<StoredRun, string> = root.openDB({ name: LMDB_JOB_STORE_DATABASES[0] });
  const jobs: Database<JobRecord, string> = root.openDB({ name: LMDB_JOB_STORE_DATABASES[1] });
  const cursors: Database<Versioned<unknown>, string> = root.openDB({ name: LMDB_JOB_STORE_DATABASES[2] });
  const jobKey = (runId: string, jobId: string) => `${runId}\u0000${jobId}`;

  /** Applies a transition to one job atomically; a null `next` leaves the record as it was. */
  function updateJob<T>(runId: string, jobId: string, apply: (current: JobRecord | null) => { next: JobRecord | null; result: T }) {
    return jobs.transaction(() => {
      const key = jobKey(runId, jobId);
      const { next, result } = apply(jobs.get(key) ?? null);
      if (next) void jobs.put(key, next);
      return result;
    });
  }

  return {
    async createRun(run) {
      return runs.transaction(() => {
        const existing = runs.get(run.runId);
        if (existing) return { created: false, run: fromStoredRun(existing) };
        void runs.put(run.runId, toStoredRun(run));
        return { created: true, run };
      });
    },
    async getRun(runId) {
      const stored = runs.get(runId);
      return stored ? fromStoredRun(stored) : null;
    },
    async transitionRun(runId, from, to, patch, now) {
      return runs.transaction(() => {
        const stored = runs.get(runId);
        if (!stored || !from.includes(stored.state)) return null;
        const next: StoredRun = { ...stored, ...patch, state: to, updatedAt: now };
        void runs.put(runId, next);
        return fromStoredRun(next);
      });
    },
    async listRuns(states: readonly RunState[]) {
      const found: ProvingRun[] = [];
      for (const { value } of runs.getRange()) if (states.includes(value.state)) found.push(fromStoredRun(value));
      return found;
    },

    leaseJob: (request) =>
      updateJob(request.runId, request.jobId, (current) => {
        const { next, outcome } = leaseTransition(current, request);
        return { next, result: outcome };
      }),
    extendLease: (request) =>
      updateJob(request.runId, request.jobId, (current) => {
        const next = extendTransition(current, request);
        return { next, result: next !== null };
      }),
    async returnLease(runId, jobId, owner) {
      await updateJob(runId, jobId, (current) => ({ next: returnTransition(current, owner), result: undefined }));
    },
    completeJob: (runId, jobId, digest) =>
      updateJob(runId, jobId, (current) => {
        const { next, first, digest: winner } = completeTransition(current, runId, jobId, digest);
        return { next, result: { first, digest: winner } };
      }),
    releaseParent: (request) =>
      updateJob(request.runId, request.parentId, (current) => {
        const { next, outcome } = releaseTransition(current, request);
        return { next, result: outcome };
      }),
    recordFailure: (request) =>
      updateJob(request.runId, request.jobId, (current) => {
        const { next, failures, exhausted } = failureTransition(current, request);
        return { next, result: { failures, exhausted } };
      }),
    invalidateProof(runId, jobId, digest, parentId) {
      return jobs.transaction(() => {
        const key = jobKey(runId, jobId);
        const next = invalidateTransition(jobs.get(key) ?? null, digest);
        if (!next) return false;
        void jobs.put(key, next);
        if (parentId !== null) {
          const parentKey = jobKey(runId, parentId);
          const parent = forgetChildTransition(jobs.get(parentKey) ?? null, jobId);
          if (parent) void jobs.put(parentKey, parent);
        }
        return true;
      });
    },
    async getJob(runId, jobId) {
      return jobs.get(jobKey(runId, jobId)) ?? null;
    },
    async getJobs(runId, jobIds) {
      return jobs.getMany(jobIds.map((jobId) => jobKey(runId, jobId))).then((found) => found.map((record) => record ?? null));
    },
    async jobRecords(runId) {
      const prefix = `${runId}\u0000`;
      const records: JobRecord[] = [];
      for (const { value } of jobs.getRange({ start: prefix, end: `${runId}\u0001` })) records.push(value);
      return records;
    },

    releaseAllLeases() {
      return jobs.transaction(() => {
        let released = 0;
        for (const { key, value } of jobs.getRange()) {
          if (value.state !== 'leased') continue;
          void jobs.put(key, { ...value, state: 'waiting', leaseOwner: '', leaseExpiresAt: 0 });
          released++;
        }
        return released;
      });
    },
    async getCursor<T>(name: string) {
      return (cursors.get(name) as Versioned<T> | undefined) ?? null;
    },
    putCursor(name, value, expectedVersion) {
      return cursors.transaction(() => {
        const current = cursors.get(name);
        if ((current?.version ?? null) !== expectedVersion) return false;
        void cursors.put(name, { value, version: (current?.version ?? 0) + 1 });
        return true;
      });
    },
    async close() {
      await closeLmdb(root);
    },
  };
}
