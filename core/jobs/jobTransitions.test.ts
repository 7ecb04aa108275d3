import { describe, expect, it } from 'vitest';
import type { JobRecord, ReleaseParentRequest } from '../../core/ports/jobStore.js';
import {
  completeTransition,
  emptyJob,
  extendTransition,
  failureTransition,
  forgetChildTransition,
  invalidateTransition,
  leaseTransition,
  releaseTransition,
  returnTransition,
} from './jobTransitions.js';

const job = (patch: Partial<JobRecord> = {}): JobRecord => ({ ...emptyJob('r', 'j'), ...patch });
const leased = (owner = 'a', expiresAt = 1_000) => job({ state: 'leased', leaseOwner: owner, leaseExpiresAt: expiresAt });
const leaseRequest = (owner: string, now: number) => ({ runId: 'r', jobId: 'j', owner, now, leaseMs: 100 });
const failure = (owner: string, maxFailures = 3) => ({ runId: 'r', jobId: 'j', owner, error: 'boom', now: 5, maxFailures });
const release = (patch: Partial<ReleaseParentRequest> = {}): ReleaseParentRequest => ({
  runId: 'r',
  parentId: 'p',
  childId: 'c1',
  childDigest: 'sha256:c1',
  depCount: 2,
  claimant: 'a',
  now: 1_000,
  staleClaimMs: 500,
  ...patch,
});

describe('the job transitions', () => {
  it('start a job nobody touched as waiting, unowned, with nothing recorded', () => {
    expect(emptyJob('r', 'j')).toEqual({
      runId: 'r',
      jobId: 'j',
      state: 'waiting',
      failures: 0,
      leaseOwner: '',
      leaseExpiresAt: 0,
      digest: '',
      children: {},
      claimedBy: '',
      claimedAt: 0,
      lastError: '',
    });
  });

  it('lease a waiting job, a job whose lease expired, or one the asker already holds', () => {
    expect(leaseTransition(null, leaseRequest('a', 10))).toEqual({
      next: { ...emptyJob('r', 'j'), state: 'leased', leaseOwner: 'a', leaseExpiresAt: 110 },
      outcome: { kind: 'leased', failures: 0, children: {} },
    });
    expect(leaseTransition(leased('a', 1_000), leaseRequest('b', 1_000)).outcome.kind).toBe('leased');
    expect(leaseTransition(leased('a', 1_000), leaseRequest('a', 500)).next).toMatchObject({ leaseOwner: 'a', leaseExpiresAt: 600 });
    const retried = leaseTransition(job({ failures: 2, children: { c: 'sha256:c' } }), leaseRequest('a', 0));
    expect(retried.outcome).toEqual({ kind: 'leased', failures: 2, children: { c: 'sha256:c' } });
  });

  it('refuse a lease held by someone else, and say who holds it until when', () => {
    expect(leaseTransition(leased('a', 1_000), leaseRequest('b', 999))).toEqual({
      next: null,
      outcome: { kind: 'held', owner: 'a', expiresAt: 1_000 },
    });
  });

  it('answer a lease of a finished job with its digest or its error, changing nothing', () => {
    expect(leaseTransition(job({ state: 'done', digest: 'sha256:d' }), leaseRequest('a', 0))).toEqual({
      next: null,
      outcome: { kind: 'done', digest: 'sha256:d' },
    });
    expect(leaseTransition(job({ state: 'failed', lastError: 'boom' }), leaseRequest('a', 0))).toEqual({
      next: null,
      outcome: { kind: 'failed', error: 'boom' },
    });
  });

  it("extend and return only the holder's lease", () => {
    expect(extendTransition(leased('a', 100), leaseRequest('a', 50))).toEqual({ ...leased('a'), leaseExpiresAt: 150 });
    expect(extendTransition(leased('a', 100), leaseRequest('b', 50))).toBeNull();
    expect(extendTransition(job(), leaseRequest('a', 50))).toBeNull();
    expect(extendTransition(null, leaseRequest('a', 50))).toBeNull();
    expect(returnTransition(leased('a', 100), 'a')).toEqual(job({ state: 'waiting', leaseOwner: '', leaseExpiresAt: 0 }));
    expect(returnTransition(leased('a', 100), 'b')).toBeNull();
    expect(returnTransition(job({ state: 'done' }), 'a')).toBeNull();
    expect(returnTransition(null, 'a')).toBeNull();
  });

  it('complete a job once: the first digest wins, the lease and any error are cleared', () => {
    expect(completeTransition(null, 'r', 'j', 'sha256:d')).toEqual({ next: { ...emptyJob('r', 'j'), state: 'done', digest: 'sha256:d' }, first: true, digest: 'sha256:d' });
    const done = completeTransition(job({ ...leased('a'), lastError: 'earlier', failures: 1 }), 'r', 'j', 'sha256:d').next;
    expect(done).toMatchObject({ state: 'done', leaseOwner: '', leaseExpiresAt: 0, lastError: '', failures: 1 });
    expect(completeTransition(job({ state: 'done', digest: 'sha256:first' }), 'r', 'j', 'sha256:second')).toEqual({ next: null, first: false, digest: 'sha256:first' });
  });

  it('record a child on its parent and let exactly the caller completing the set claim it', () => {
    const first = releaseTransition(null, release());
    expect(first).toEqual({ next: { ...emptyJob('r', 'p'), children: { c1: 'sha256:c1' } }, outcome: { enqueue: false, ready: false, children: { c1: 'sha256:c1' } } });
    const second = releaseTransition(first.next, release({ childId: 'c2', childDigest: 'sha256:c2', claimant: 'b' }));
    expect(second.next).toMatchObject({ claimedBy: 'b', claimedAt: 1_000 });
    expect(second.outcome).toEqual({ enqueue: true, ready: true, children: { c1: 'sha256:c1', c2: 'sha256:c2' } });
  });

  it('keep the first digest of a child recorded twice, and write nothing for a duplicate', () => {
    const parent = job({ children: { c1: 'sha256:first' } });
    expect(releaseTransition(parent, release({ childDigest: 'sha256:second' }))).toEqual({
      next: null,
      outcome: { enqueue: false, ready: false, children: { c1: 'sha256:first' } },
    });
  });

  it('let a claim be taken over once it is staleClaimMs old, and not a moment before', () => {
    const claimed = job({ children: { c1: 'sha256:c1', c2: 'sha256:c2' }, claimedBy: 'a', claimedAt: 1_000 });
    expect(releaseTransition(claimed, release({ claimant: 'b', now: 1_499 })).outcome.enqueue).toBe(false);
    const takeover = releaseTransition(claimed, release({ claimant: 'b', now: 1_500 }));
    expect(takeover.outcome.enqueue).toBe(true);
    expect(takeover.next).toMatchObject({ claimedBy: 'b', claimedAt: 1_500 });
  });

  it('never claim a parent that is already leased, done or failed', () => {
    for (const state of ['leased', 'done', 'failed'] as const) {
      const parent = job({ state, children: { c1: 'sha256:c1' } });
      expect(releaseTransition(parent, release({ childId: 'c2', childDigest: 'sha256:c2' })).outcome).toMatchObject({ enqueue: false, ready: true });
    }
  });

  it("count the holder's failure, fail the job for good at maxFailures, and drop the lease either way", () => {
    expect(failureTransition(leased('a'), failure('a'))).toEqual({
      next: job({ state: 'waiting', failures: 1, leaseOwner: '', leaseExpiresAt: 0, lastError: 'boom' }),
      failures: 1,
      exhausted: false,
    });
    expect(failureTransition(job({ ...leased('a'), failures: 2 }), failure('a'))).toMatchObject({
      next: { state: 'failed', failures: 3 },
      failures: 3,
      exhausted: true,
    });
  });

  it('ignore a failure of a job the reporter does not hold, or that is already finished', () => {
    expect(failureTransition(leased('b'), failure('a'))).toEqual({ next: null, failures: 0, exhausted: false });
    expect(failureTransition(job(), failure('a'))).toEqual({ next: null, failures: 0, exhausted: false });
    expect(failureTransition(null, failure('a'))).toEqual({ next: null, failures: 0, exhausted: false });
    expect(failureTransition(job({ state: 'done', failures: 1 }), failure('a'))).toEqual({ next: null, failures: 1, exhausted: false });
    expect(failureTransition(job({ state: 'failed', failures: 3 }), failure('a'))).toEqual({ next: null, failures: 3, exhausted: true });
  });

  it('invalidate only the proof that is still recorded, and release the claim with it', () => {
    const done = job({ state: 'done', digest: 'sha256:bad', claimedBy: 'a', claimedAt: 7, failures: 1 });
    expect(invalidateTransition(done, 'sha256:bad')).toEqual({ ...done, state: 'waiting', digest: '', claimedBy: '', claimedAt: 0 });
    expect(invalidateTransition(done, 'sha256:other')).toBeNull();
    expect(invalidateTransition(job({ state: 'leased', digest: 'sha256:bad' }), 'sha256:bad')).toBeNull();
    expect(invalidateTransition(null, 'sha256:bad')).toBeNull();
  });

  it('take a forgotten child off its parent and release the claim, so the parent is claimed again', () => {
    const parent = job({ children: { c1: 'sha256:c1', c2: 'sha256:c2' }, claimedBy: 'a', claimedAt: 7 });
    expect(forgetChildTransition(parent, 'c1')).toEqual({ ...parent, children: { c2: 'sha256:c2' }, claimedBy: '', claimedAt: 0 });
    expect(forgetChildTransition(parent, 'c3')).toBeNull();
    expect(forgetChildTransition(null, 'c1')).toBeNull();
  });
});
