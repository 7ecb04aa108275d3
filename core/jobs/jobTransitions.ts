import type {
  FailureRequest,
  JobRecord,
  LeaseOutcome,
  LeaseRequest,
  ReleaseOutcome,
  ReleaseParentRequest,
} from '../../core/ports/jobStore.js';

/**
 * The job store's rules as pure functions from the current record to the next one. Each store adapter applies
 * them inside one atomic read-modify-write, so the embedded and the AWS stores agree by construction.
 */

export function emptyJob(runId: string, jobId: string): JobRecord {
  return {
    runId,
    jobId,
    state: 'waiting',
    failures: 0,
    leaseOwner: '',
    leaseExpiresAt: 0,
    digest: '',
    children: {},
    claimedBy: '',
    claimedAt: 0,
    lastError: '',
  };
}

export function leaseTransition(
  current: JobRecord | null,
  request: LeaseRequest,
): { next: JobRecord | null; outcome: LeaseOutcome } {
  const job = current ?? emptyJob(request.runId, request.jobId);
  if (job.state === 'done') return { next: null, outcome: { kind: 'done', digest: job.digest } };
  if (job.state === 'failed') return { next: null, outcome: { kind: 'failed', error: job.lastError } };
  if (job.state === 'leased' && job.leaseOwner !== request.owner && job.leaseExpiresAt > request.now) {
    return { next: null, outcome: { kind: 'held', owner: job.leaseOwner, expiresAt: job.leaseExpiresAt } };
  }
  const next: JobRecord = {
    ...job,
    state: 'leased',
    leaseOwner: request.owner,
    leaseExpiresAt: request.now + request.leaseMs,
  };
  return { next, outcome: { kind: 'leased', failures: job.failures, children: job.children } };
}

export function extendTransition(current: JobRecord | null, request: LeaseRequest): JobRecord | null {
  if (!current || current.state !== 'leased' || current.leaseOwner !== request.owner) return null;
  return { ...current, leaseExpiresAt: request.now + request.leaseMs };
}

export function returnTransition(current: JobRecord | null, owner: string): JobRecord | null {
  if (!current || current.state !== 'leased' || current.leaseOwner !== owner) return null;
  return { ...current, state: 'waiting', leaseOwner: '', leaseExpiresAt: 0 };
}

export function completeTransition(
  current: JobRecord | null,
  runId: string,
  jobId: string,
  digest: string,
): { next: JobRecord | null; first: boolean; digest: string } {
  const job = current ?? emptyJob(runId, jobId);
  if (job.state === 'done') return { next: null, first: false, digest: job.digest };
  return {
    next: { ...job, state: 'done', digest, leaseOwner: '', leaseExpiresAt: 0, lastError: '' },
    first: true,
    digest,
  };
}

export function releaseTransition(
  current: JobRecord | null,
  request: ReleaseParentRequest,
): { next: JobRecord | null; outcome: ReleaseOutcome } {
  const parent = current ?? emptyJob(request.runId, request.parentId);
  const children = Object.hasOwn(parent.children, request.childId)
    ? parent.children
    : { ...parent.children, [request.childId]: request.childDigest };
  const ready = Object.keys(children).length >= request.depCount;
  const untouched = parent.state === 'waiting';
  const claimable =
    ready &&
    untouched &&
    (parent.claimedBy === '' || request.now - parent.claimedAt >= request.staleClaimMs);
  const changed = children !== parent.children || claimable;
  const next: JobRecord | null = changed
    ? {
        ...parent,
        children,
        ...(claimable ? { claimedBy: request.claimant, claimedAt: request.now } : {}),
      }
    : null;
  return { next, outcome: { enqueue: claimable, ready, children } };
}

export function failureTransition(
  current: JobRecord | null,
  request: FailureRequest,
): { next: JobRecord | null; failures: number; exhausted: boolean } {
  const job = current ?? emptyJob(request.runId, request.jobId);
  if (job.state === 'done' || job.state === 'failed') {
    return { next: null, failures: job.failures, exhausted: job.state === 'failed' };
  }
  // Only the holder's attempt counts: an agent whose lease was taken over must not drop its successor's lease.
  if (job.state !== 'leased' || job.leaseOwner !== request.owner) return { next: null, failures: job.failures, exhausted: false };
  const failures = job.failures + 1;
  const exhausted = failures >= request.maxFailures;
  return {
    next: {
      ...job,
      state: exhausted ? 'failed' : 'waiting',
      failures,
      leaseOwner: '',
      leaseExpiresAt: 0,
      lastError: request.error,
    },
    failures,
    exhausted,
  };
}

/** Forgets a corrupt proof on the job itself. */
export function invalidateTransition(current: JobRecord | null, digest: string): JobRecord | null {
  if (!current || current.state !== 'done' || current.digest !== digest) return null;
  return { ...current, state: 'waiting', digest: '', claimedBy: '', claimedAt: 0 };
}

/** Takes a forgotten child off its parent, so the parent waits and is claimed again once the child is redone. */
export function forgetChildTransition(current: JobRecord | null, childId: string): JobRecord | null {
  if (!current || !Object.hasOwn(current.children, childId)) return null;
  const { [childId]: _forgotten, ...children } = current.children;
  return { ...current, children, claimedBy: '', claimedAt: 0 };
}
