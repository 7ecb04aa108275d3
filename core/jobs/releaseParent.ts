import type { BlockPlan } from '../plan/blockPlan.js';
import { depsOf, jobIdAt } from '../plan/jobAt.js';
import type { BlockRunDriver } from '../ports/blockRunDriver.js';
import type { JobStore, ReleaseOutcome, ReleaseParentRequest } from '../ports/jobStore.js';
import type { JobMessage, WorkQueue } from '../ports/workQueue.js';
import type { Tier } from '../tiers.js';
import { jobMessage } from './jobMessage.js';
import type { JobRuleSettings } from './jobRuleSettings.js';
import type { RunDue } from './urgency.js';

/** What a done job's proof moves forward: the run (it was the root), or its parent's record of done children. */
export type ParentRelease =
  | { readonly kind: 'root'; readonly digest: string }
  | { readonly kind: 'parent'; readonly request: ReleaseParentRequest };

/** The release of job `index`'s parent by `claimant` now that the job is done with `digest`; the root ends the walk. */
export function parentRelease(
  plan: BlockPlan,
  index: number,
  digest: string,
  claimant: string,
  now: number,
  settings: Pick<JobRuleSettings, 'staleClaimMs'>,
): ParentRelease {
  const parent = plan.parents[index]!;
  if (parent === -1) return { kind: 'root', digest };
  return {
    kind: 'parent',
    request: {
      runId: plan.blockId,
      parentId: jobIdAt(plan, parent),
      childId: jobIdAt(plan, index),
      childDigest: digest,
      depCount: depsOf(plan, parent).length,
      claimant,
      now,
      staleClaimMs: settings.staleClaimMs,
    },
  };
}

/** The parent's queue message (its run `due`) when this release made the caller the one to enqueue it; null otherwise. */
export function parentToEnqueue(
  outcome: ReleaseOutcome,
  plan: BlockPlan,
  index: number,
  due: RunDue,
): { readonly tier: Tier; readonly message: JobMessage } | null {
  return outcome.enqueue ? jobMessage(plan, plan.parents[index]!, due) : null;
}

export interface ParentReleasePorts {
  readonly store: Pick<JobStore, 'releaseParent'>;
  readonly queue: Pick<WorkQueue, 'send'>;
  readonly driver: Pick<BlockRunDriver, 'rootProven'>;
}

/** Records done job `index` on its parent and enqueues the parent (its run `due`) if this caller is the one to; the root signals the run. */
export async function releaseParent(
  ports: ParentReleasePorts,
  plan: BlockPlan,
  due: RunDue,
  index: number,
  digest: string,
  claimant: string,
  now: number,
  settings: Pick<JobRuleSettings, 'staleClaimMs'>,
): Promise<void> {
  const release = parentRelease(plan, index, digest, claimant, now, settings);
  if (release.kind === 'root') return ports.driver.rootProven(plan.blockId, digest);
  const enqueue = parentToEnqueue(await ports.store.releaseParent(release.request), plan, index, due);
  if (enqueue) await ports.queue.send(enqueue.tier, [enqueue.message]);
}
