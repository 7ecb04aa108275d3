import type { BlockPlan } from '../plan/blockPlan.js';
import { jobIdAt } from '../plan/jobAt.js';
import type { Clock } from '../ports/clock.js';
import type { JobStore } from '../ports/jobStore.js';
import type { JobRuleSettings } from './jobRuleSettings.js';
import { releaseParent, type ParentReleasePorts } from './releaseParent.js';
import type { RunDue } from './urgency.js';

export interface RecordProofPorts extends ParentReleasePorts {
  readonly store: Pick<JobStore, 'completeJob' | 'releaseParent'>;
  readonly clock: Clock;
}

/**
 * Records job `index` done with the proof stored under `digest` and moves the graph on (its parent, or the run when
 * it is the root). A job proven twice keeps its first digest, and the parent is released with that one.
 */
export async function recordProof(
  ports: RecordProofPorts,
  plan: BlockPlan,
  due: RunDue,
  index: number,
  digest: string,
  claimant: string,
  settings: Pick<JobRuleSettings, 'staleClaimMs'>,
): Promise<{ readonly first: boolean; readonly digest: string }> {
  const completion = await ports.store.completeJob(plan.blockId, jobIdAt(plan, index), digest, ports.clock.now());
  await releaseParent(ports, plan, due, index, completion.digest, claimant, ports.clock.now(), settings);
  return completion;
}
