import type { BlockPlan } from '../plan/blockPlan.js';
import { jobIdAt } from '../plan/jobAt.js';
import type { JobStore } from '../ports/jobStore.js';
import type { WorkQueue } from '../ports/workQueue.js';
import { jobMessage } from './jobMessage.js';
import type { RunDue } from './urgency.js';

/**
 * Forgets job `index`'s proof because it turned out unusable (corrupt, missing, or refused by the prover that
 * consumed it) — only if it is still `digest`, and off its parent's children, so the parent waits for it — and
 * enqueues the job to be proven again (its run `due`). Returns whether this call did (another caller may have been first).
 */
export async function reproveProof(
  ports: { readonly store: Pick<JobStore, 'invalidateProof'>; readonly queue: Pick<WorkQueue, 'send'> },
  plan: BlockPlan,
  due: RunDue,
  index: number,
  digest: string,
): Promise<boolean> {
  const parent = plan.parents[index]!;
  const forgotten = await ports.store.invalidateProof(plan.blockId, jobIdAt(plan, index), digest, parent === -1 ? null : jobIdAt(plan, parent));
  if (forgotten) {
    const { tier, message } = jobMessage(plan, index, due);
    await ports.queue.send(tier, [message]);
  }
  return forgotten;
}
