import type { BlockPlan } from '../plan/blockPlan.js';
import { jobIdAt, kindOf } from '../plan/jobAt.js';
import type { JobMessage } from '../ports/workQueue.js';
import type { Tier } from '../tiers.js';
import { latestStart, type RunDue } from './urgency.js';

/** The queue message for job `index` of a plan whose run is `due`, and the tier whose queue it goes to. */
export function jobMessage(plan: BlockPlan, index: number, due: RunDue): { readonly tier: Tier; readonly message: JobMessage } {
  return {
    tier: plan.profile.kinds[kindOf(plan, index)]!.tier,
    message: {
      runId: plan.blockId,
      jobId: jobIdAt(plan, index),
      jobIndex: index,
      latestStart: latestStart(plan, index, due),
    },
  };
}

/** Whether a message names a job of `plan` by index and id; one that does not is poison (a corrupt or foreign message). */
export function isJobOf(plan: BlockPlan, message: JobMessage): boolean {
  const index = message.jobIndex;
  return index >= 0 && index < plan.size && jobIdAt(plan, index) === message.jobId;
}
