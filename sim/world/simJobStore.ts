import type { JobRecord, JobStore, Versioned } from '../../core/ports/jobStore.js';
import type { ProvingRun } from '../../core/ports/provingRun.js';
import { jobOperations } from '../../core/jobs/jobOperations.js';
import type { ControlPlaneCounts } from './controlPlaneMeter.js';
import type { Synchronous } from '../../core/ports/synchronous.js';

/**
 * The simulated DynamoDB table: the job store's rules (`core/jobs/jobOperations`, the steps the embedded store runs
 * and the AWS store states as conditional writes) over in-memory records, answered synchronously. Each call counts
 * as one request unit, as every job item stays under 1 KB; ports with latency wrap it (`delayedPort`).
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
  /** Each job operation is one conditional write: apply the rule, store what changed. */
  const operations = jobOperations((step) => {
    counts.dynamodbWrites++;
    const records = jobsOf(step.runId);
    const { writes, result } = step.apply(step.jobIds.map((jobId) => records.get(jobId) ?? null));
    for (const record of writes) records.set(record.jobId, record);
    return result;
  });

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
    ...operations,
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
