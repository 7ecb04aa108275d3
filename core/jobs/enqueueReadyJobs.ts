import type { BlockPlan } from '../plan/blockPlan.js';
import { depsOf, jobIdAt } from '../plan/jobAt.js';
import type { JobStore } from '../ports/jobStore.js';
import type { JobMessage, WorkQueue } from '../ports/workQueue.js';
import type { Tier } from '../tiers.js';
import { jobMessage } from './jobMessage.js';
import type { RunDue } from './urgency.js';

const CHUNK = 1_000;
const DONE = 1;
const FAILED = 2;

/** Sends every job without children (VM proofs, private bases, parity bases) of a run `due` then to its tier's queue. */
export async function enqueueReadyLeaves(queue: WorkQueue, plan: BlockPlan, due: RunDue): Promise<number> {
  return sendJobs(queue, plan, due, (job) => depsOf(plan, job).length === 0);
}

/**
 * Re-enqueues a run's ready frontier from the job store: every job not done whose children are all done. Used
 * when queues were lost (an embedded restart) or a run is revived; a job enqueued twice is deduplicated by its lease.
 */
export async function enqueueReadyJobs(store: JobStore, queue: WorkQueue, plan: BlockPlan, due: RunDue): Promise<number> {
  const state = new Uint8Array(plan.size);
  for (let first = 0; first < plan.size; first += CHUNK) {
    const ids: string[] = [];
    for (let job = first; job < Math.min(first + CHUNK, plan.size); job++) ids.push(jobIdAt(plan, job));
    const records = await store.getJobs(plan.blockId, ids);
    records.forEach((record, offset) => {
      if (record?.state === 'done') state[first + offset] = DONE;
      else if (record?.state === 'failed') state[first + offset] = FAILED;
    });
  }
  return sendJobs(queue, plan, due, (job) => state[job] === 0 && depsOf(plan, job).every((dep) => state[dep] === DONE));
}

/** Sends the jobs of `plan` that `ready` picks, in plan order, to their tiers' queues (heavy first), 1,000 a call. */
async function sendJobs(queue: WorkQueue, plan: BlockPlan, due: RunDue, ready: (job: number) => boolean): Promise<number> {
  const byTier: Record<Tier, JobMessage[]> = { heavy: [], light: [] };
  for (let job = 0; job < plan.size; job++) {
    if (!ready(job)) continue;
    const { tier, message } = jobMessage(plan, job, due);
    byTier[tier].push(message);
  }
  for (const [tier, messages] of Object.entries(byTier) as [Tier, JobMessage[]][]) {
    for (let i = 0; i < messages.length; i += CHUNK) await queue.send(tier, messages.slice(i, i + CHUNK));
  }
  return byTier.heavy.length + byTier.light.length;
}
