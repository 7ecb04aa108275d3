import { CorruptArtifactError, MissingArtifactError } from '../errors/index.js';
import type { BlockPlan } from '../plan/blockPlan.js';
import { depsOf, jobIdAt } from '../plan/jobAt.js';
import type { ArtifactStore } from '../ports/artifactStore.js';
import type { JobStore } from '../ports/jobStore.js';
import type { Logger } from '../ports/logger.js';
import type { WorkQueue } from '../ports/workQueue.js';
import { reproveProof } from './reproveProof.js';
import type { RunDue } from './urgency.js';

/** One child proof a job consumes, with the digest its lease recorded (undefined: the child is not done). */
export interface ChildProof {
  readonly child: number;
  readonly childId: string;
  readonly digest: string | undefined;
}

/** The children of job `index`, in input order, each with the digest the lease's `children` records for it. */
export function childProofsOf(plan: BlockPlan, index: number, children: Readonly<Record<string, string>>): ChildProof[] {
  return Array.from(depsOf(plan, index), (child) => {
    const childId = jobIdAt(plan, child);
    return { child, childId, digest: children[childId] };
  });
}

/** Why a job goes back when its lease lacks a child: the child was invalidated after this job was enqueued. */
export function childNotDone(childId: string): string {
  return `child ${childId} is not done (it was invalidated after this job was enqueued)`;
}

export interface ChildProofPorts {
  readonly artifacts: Pick<ArtifactStore, 'get'>;
  readonly store: Pick<JobStore, 'invalidateProof'>;
  readonly queue: Pick<WorkQueue, 'send'>;
  readonly log: Logger;
}

/**
 * Reads each child's proof in input order, checked against its digest. A child not done, or whose artifact is
 * corrupt or missing, stops the read and returns why (a string): a corrupt or missing one is forgotten and enqueued
 * again (`reproveProof`), and its parent, handed back, is enqueued again once the child is redone.
 */
export async function readChildProofs(
  ports: ChildProofPorts,
  plan: BlockPlan,
  due: RunDue,
  index: number,
  children: Readonly<Record<string, string>>,
): Promise<Uint8Array[] | string> {
  const proofs: Uint8Array[] = [];
  for (const { child, childId, digest } of childProofsOf(plan, index, children)) {
    if (digest === undefined) return childNotDone(childId);
    try {
      proofs.push(await ports.artifacts.get(digest));
    } catch (error) {
      if (!(error instanceof CorruptArtifactError || error instanceof MissingArtifactError)) throw error;
      ports.log.warn('child proof failed its digest check; proving it again', { childId, digest, error: error.message });
      await reproveProof(ports, plan, due, child, digest);
      return `child ${childId}: ${error.message}`;
    }
  }
  return proofs;
}
