import { describe, expect, it } from 'vitest';
import type { JobStore, ReleaseParentRequest } from '../../core/ports/jobStore.js';
import { sampleRun } from '../support/sampleRun.js';

export interface JobStoreFixture {
  readonly store: JobStore;
  close(): Promise<void>;
}

const T0 = 1_700_000_000_000;
const LEASE = 60_000;
let counter = 0;

/**
 * The behaviour every JobStore adapter must have. Each test uses its own run id, so one store can serve all tests.
 */
export function describeJobStoreContract(name: string, open: () => Promise<JobStoreFixture>) {
  describe(`JobStore contract: ${name}`, () => {
    const withStore = (test: (store: JobStore, runId: string) => Promise<void>) => async () => {
      const fixture = await open();
      try {
        await test(fixture.store, `r${Date.now().toString(36)}${(counter++).toString(36)}`);
      } finally {
        await fixture.close();
      }
    };
    const lease = (store: JobStore, runId: string, jobId: string, owner: string, now = T0) =>
      store.leaseJob({ runId, jobId, owner, now, leaseMs: LEASE });
    const release = (runId: string, childId: string, overrides: Partial<ReleaseParentRequest> = {}) => ({
      runId,
      parentId: 'p',
      childId,
      childDigest: `sha256:${childId.padEnd(64, '0')}`,
      depCount: 2,
      claimant: 'agent-a',
      now: T0,
      staleClaimMs: 300_000,
      ...overrides,
    });

    it('creates a run once and returns the stored run on a second create', withStore(async (store, runId) => {
      const run = sampleRun({ runId });
      expect(await store.createRun(run)).toEqual({ created: true, run });
      const again = await store.createRun({ ...run, txCount: 99 });
      expect(again.created).toBe(false);
      expect(again.run.txCount).toBe(run.txCount);
      expect(await store.getRun(runId)).toEqual(run);
      expect(await store.getRun(`${runId}-missing`)).toBeNull();
    }));

    it('moves a run only from the states it names, applying the patch', withStore(async (store, runId) => {
      await store.createRun(sampleRun({ runId }));
      expect(await store.transitionRun(runId, ['proving'], 'submitting', {}, T0 + 1)).toBeNull();
      const moved = await store.transitionRun(runId, ['planned'], 'proving', { provingStartedAt: T0 + 2 }, T0 + 2);
      expect(moved).toMatchObject({ state: 'proving', provingStartedAt: T0 + 2, updatedAt: T0 + 2, blockNumber: 7n });
      expect((await store.getRun(runId))?.state).toBe('proving');
      const listed = await store.listRuns(['proving']);
      expect(listed.map((run) => run.runId)).toContain(runId);
      expect((await store.listRuns(['settled'])).map((run) => run.runId)).not.toContain(runId);
    }));

    it('leases a job to one owner until the lease expires', withStore(async (store, runId) => {
      expect(await lease(store, runId, 'j', 'a')).toEqual({ kind: 'leased', failures: 0, children: {} });
      expect(await lease(store, runId, 'j', 'b', T0 + 1)).toEqual({ kind: 'held', owner: 'a', expiresAt: T0 + LEASE });
      expect(await lease(store, runId, 'j', 'b', T0 + LEASE)).toMatchObject({ kind: 'leased' });
      expect(await store.extendLease({ runId, jobId: 'j', owner: 'a', now: T0 + LEASE, leaseMs: LEASE })).toBe(false);
      expect(await store.extendLease({ runId, jobId: 'j', owner: 'b', now: T0 + LEASE + 5, leaseMs: LEASE })).toBe(true);
      expect(await lease(store, runId, 'j', 'a', T0 + 2 * LEASE)).toMatchObject({ kind: 'held', expiresAt: T0 + 2 * LEASE + 5 });
    }));

    it('gives exactly one of many concurrent lessees the job', withStore(async (store, runId) => {
      const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => lease(store, runId, 'j', `agent-${i}`)));
      expect(outcomes.filter((outcome) => outcome.kind === 'leased')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome.kind === 'held')).toHaveLength(11);
    }));

    it('lets a returned job be leased at once by another agent', withStore(async (store, runId) => {
      await lease(store, runId, 'j', 'a');
      await store.returnLease(runId, 'j', 'b');
      expect(await lease(store, runId, 'j', 'b', T0 + 1)).toMatchObject({ kind: 'held' });
      await store.returnLease(runId, 'j', 'a');
      expect(await lease(store, runId, 'j', 'b', T0 + 1)).toMatchObject({ kind: 'leased', failures: 0 });
    }));

    it('completes a job once; the first digest wins and later leases see it done', withStore(async (store, runId) => {
      await lease(store, runId, 'j', 'a');
      expect(await store.completeJob(runId, 'j', 'sha256:first', T0 + 1)).toEqual({ first: true, digest: 'sha256:first' });
      expect(await store.completeJob(runId, 'j', 'sha256:second', T0 + 2)).toEqual({ first: false, digest: 'sha256:first' });
      expect(await lease(store, runId, 'j', 'b', T0 + 3)).toEqual({ kind: 'done', digest: 'sha256:first' });
      expect(await store.extendLease({ runId, jobId: 'j', owner: 'a', now: T0 + 4, leaseMs: LEASE })).toBe(false);
      expect(await store.getJob(runId, 'j')).toMatchObject({ state: 'done', digest: 'sha256:first' });
    }));

    it('releases a parent to exactly one caller once all its children are recorded', withStore(async (store, runId) => {
      expect(await store.releaseParent(release(runId, 'c1'))).toMatchObject({ enqueue: false, ready: false });
      expect(await store.releaseParent(release(runId, 'c1', { claimant: 'agent-b' }))).toMatchObject({ enqueue: false, ready: false });
      const second = await store.releaseParent(release(runId, 'c2'));
      expect(second).toMatchObject({ enqueue: true, ready: true });
      expect(Object.keys(second.children).sort()).toEqual(['c1', 'c2']);
      // A duplicate delivery of either child does not release it again while the claim is fresh.
      expect(await store.releaseParent(release(runId, 'c2', { claimant: 'agent-b', now: T0 + 10 }))).toMatchObject({ enqueue: false, ready: true });
      // The claimant died before enqueueing: after staleClaimMs a redelivered child takes over, once.
      expect(await store.releaseParent(release(runId, 'c1', { claimant: 'agent-c', now: T0 + 300_000 }))).toMatchObject({ enqueue: true });
      expect(await store.releaseParent(release(runId, 'c1', { claimant: 'agent-d', now: T0 + 300_001 }))).toMatchObject({ enqueue: false });
      expect(await lease(store, runId, 'p', 'agent-c')).toMatchObject({ kind: 'leased', children: second.children });
      expect(await store.releaseParent(release(runId, 'c1', { claimant: 'agent-e', now: T0 + 900_000 }))).toMatchObject({ enqueue: false });
    }));

    it('releases a parent once when all its children complete at the same moment', withStore(async (store, runId) => {
      const outcomes = await Promise.all(
        Array.from({ length: 16 }, (_, i) => store.releaseParent(release(runId, `c${i}`, { depCount: 16, claimant: `agent-${i}` }))),
      );
      expect(outcomes.filter((outcome) => outcome.enqueue)).toHaveLength(1);
      expect(Object.keys(outcomes.find((outcome) => outcome.enqueue)!.children)).toHaveLength(16);
    }));

    it('counts failures and fails the job for good at the limit', withStore(async (store, runId) => {
      const failure = (now: number) => ({ runId, jobId: 'j', owner: 'a', error: 'prover crashed', now, maxFailures: 2 });
      await lease(store, runId, 'j', 'a');
      expect(await store.recordFailure(failure(T0 + 1))).toEqual({ failures: 1, exhausted: false });
      expect(await lease(store, runId, 'j', 'b', T0 + 2)).toEqual({ kind: 'leased', failures: 1, children: {} });
      expect(await store.recordFailure({ ...failure(T0 + 3), owner: 'b' })).toEqual({ failures: 2, exhausted: true });
      expect(await lease(store, runId, 'j', 'c', T0 + 4)).toEqual({ kind: 'failed', error: 'prover crashed' });
      expect(await store.getJob(runId, 'j')).toMatchObject({ state: 'failed', failures: 2, lastError: 'prover crashed' });
    }));

    it('forgets a corrupt proof so the job is proven again and its parent waits for it', withStore(async (store, runId) => {
      await store.completeJob(runId, 'c1', 'sha256:bad', T0);
      await store.releaseParent(release(runId, 'c1', { childDigest: 'sha256:bad' }));
      await store.releaseParent(release(runId, 'c2'));
      expect(await store.invalidateProof(runId, 'c1', 'sha256:other', 'p')).toBe(false);
      expect(await store.invalidateProof(runId, 'c1', 'sha256:bad', 'p')).toBe(true);
      expect(await store.invalidateProof(runId, 'c1', 'sha256:bad', 'p')).toBe(false);
      expect(await lease(store, runId, 'c1', 'a', T0 + 1)).toMatchObject({ kind: 'leased' });
      expect(Object.keys((await store.getJob(runId, 'p'))!.children)).toEqual(['c2']);
      await store.completeJob(runId, 'c1', 'sha256:good', T0 + 2);
      const again = await store.releaseParent(release(runId, 'c1', { childDigest: 'sha256:good', now: T0 + 3 }));
      expect(again).toMatchObject({ enqueue: true, ready: true });
      expect(again.children.c1).toBe('sha256:good');
    }));

    it('lets the holder lease its job again, extending the lease', withStore(async (store, runId) => {
      await lease(store, runId, 'j', 'a');
      expect(await lease(store, runId, 'j', 'a', T0 + 10)).toEqual({ kind: 'leased', failures: 0, children: {} });
      expect(await store.getJob(runId, 'j')).toMatchObject({ state: 'leased', leaseOwner: 'a', leaseExpiresAt: T0 + 10 + LEASE });
      expect(await lease(store, runId, 'j', 'b', T0 + LEASE + 5)).toMatchObject({ kind: 'held', owner: 'a' });
    }));

    it('records a returned lease as waiting, with no owner and no attempt counted', withStore(async (store, runId) => {
      await lease(store, runId, 'j', 'a');
      await store.recordFailure({ runId, jobId: 'j', owner: 'a', error: 'crashed', now: T0 + 1, maxFailures: 3 });
      await lease(store, runId, 'j', 'a', T0 + 2);
      await store.returnLease(runId, 'j', 'a');
      expect(await store.getJob(runId, 'j')).toMatchObject({ state: 'waiting', leaseOwner: '', leaseExpiresAt: 0, failures: 1 });
    }));

    it('records a retryable failure: waiting, unowned, the attempt and the error kept', withStore(async (store, runId) => {
      await lease(store, runId, 'j', 'a');
      await store.recordFailure({ runId, jobId: 'j', owner: 'a', error: 'prover crashed', now: T0 + 1, maxFailures: 3 });
      expect(await store.getJob(runId, 'j')).toMatchObject({
        state: 'waiting',
        failures: 1,
        leaseOwner: '',
        leaseExpiresAt: 0,
        lastError: 'prover crashed',
      });
    }));

    it('ignores a failure reported by an agent that no longer holds the job', withStore(async (store, runId) => {
      await lease(store, runId, 'j', 'a');
      // a's lease ran out and b took the job over; a's prover then gives up.
      await lease(store, runId, 'j', 'b', T0 + LEASE);
      expect(await store.recordFailure({ runId, jobId: 'j', owner: 'a', error: 'late', now: T0 + LEASE + 1, maxFailures: 1 })).toEqual({
        failures: 0,
        exhausted: false,
      });
      expect(await store.getJob(runId, 'j')).toMatchObject({ state: 'leased', leaseOwner: 'b', failures: 0, lastError: '' });
    }));

    it('never reopens a done job for a failure reported after it completed', withStore(async (store, runId) => {
      await lease(store, runId, 'j', 'a');
      await store.completeJob(runId, 'j', 'sha256:proof', T0 + 1);
      expect(await store.recordFailure({ runId, jobId: 'j', owner: 'a', error: 'late', now: T0 + 2, maxFailures: 1 })).toEqual({
        failures: 0,
        exhausted: false,
      });
      expect(await store.getJob(runId, 'j')).toMatchObject({ state: 'done', digest: 'sha256:proof', failures: 0 });
    }));

    it('records an invalidated proof: the job waits with no digest and no claim, the parent forgets the child', withStore(async (store, runId) => {
      await store.completeJob(runId, 'c1', 'sha256:bad', T0);
      await store.releaseParent(release(runId, 'c1', { childDigest: 'sha256:bad' }));
      await store.releaseParent(release(runId, 'c2'));
      expect(await store.getJob(runId, 'p')).toMatchObject({ claimedBy: 'agent-a', claimedAt: T0 });
      expect(await store.invalidateProof(runId, 'c1', 'sha256:bad', 'p')).toBe(true);
      expect(await store.getJob(runId, 'c1')).toMatchObject({ state: 'waiting', digest: '', claimedBy: '', claimedAt: 0 });
      expect(await store.getJob(runId, 'p')).toMatchObject({ children: { c2: release(runId, 'c2').childDigest }, claimedBy: '', claimedAt: 0 });
    }));

    it('invalidates a root proof, which has no parent', withStore(async (store, runId) => {
      await store.completeJob(runId, 'root', 'sha256:bad', T0);
      expect(await store.invalidateProof(runId, 'root', 'sha256:bad', null)).toBe(true);
      expect(await store.getJob(runId, 'root')).toMatchObject({ state: 'waiting', digest: '' });
      expect(await store.invalidateProof(runId, 'never-done', 'sha256:bad', null)).toBe(false);
    }));

    it('compares and sets cursors by version', withStore(async (store, runId) => {
      const name = `cursor-${runId}`;
      expect(await store.getCursor(name)).toBeNull();
      expect(await store.putCursor(name, { next: '5' }, null)).toBe(true);
      expect(await store.putCursor(name, { next: '6' }, null)).toBe(false);
      const stored = await store.getCursor<{ next: string }>(name);
      expect(stored?.value).toEqual({ next: '5' });
      expect(await store.putCursor(name, { next: '7' }, stored!.version)).toBe(true);
      expect(await store.putCursor(name, { next: '8' }, stored!.version)).toBe(false);
      expect((await store.getCursor<{ next: string }>(name))?.value).toEqual({ next: '7' });
    }));
  });
}
