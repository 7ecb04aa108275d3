import { open, type Database, type RootDatabase } from 'lmdb';
import { closeLmdb } from './closeLmdb.js';
import type { JobRecord, JobStore, Versioned } from '../../core/ports/jobStore.js';
import type { ProvingRun, RunState } from '../../core/ports/provingRun.js';
import { jobOperations } from '../../core/jobs/jobOperations.js';
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

  /** Reads a step's records, applies it and writes what it returns, in one transaction. */
  const operations = jobOperations((step) =>
    jobs.transaction(() => {
      const { writes, result } = step.apply(step.jobIds.map((jobId) => jobs.get(jobKey(step.runId, jobId)) ?? null));
      for (const record of writes) void jobs.put(jobKey(record.runId, record.jobId), record);
      return result;
    }),
  );

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

    ...operations,
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
