import { describe, expect, it } from 'vitest';
import { jobIndexOf } from '../plan/jobAt.js';
import { memoryRunWorld } from '../../test/support/memoryRunWorld.js';
import { reproveProof } from './reproveProof.js';
import { runDue } from './urgency.js';

/** Deadline 0 at the cloud's time scale. */
const due = runDue({ provingDeadline: 0 }, 1);

async function graph() {
  const w = memoryRunWorld();
  const { plan, run } = await w.planned();
  await w.queue.receive('heavy', { max: 10, waitMs: 0, visibilityMs: 60_000 });
  const id = (suffix: string) => `${run.runId}/${suffix}`;
  const queued = async () => (await w.queue.receive('light', { max: 10, waitMs: 0, visibilityMs: 60_000 })).map((d) => d.message.jobId);
  return { w, plan, run, id, queued };
}

describe('reproveProof', () => {
  it("forgets a child's proof, takes it off its parent and queues the child again", async () => {
    const { w, plan, run, id, queued } = await graph();
    await w.store.completeJob(run.runId, id('base/0'), 'sha256:b0', 0);
    await w.store.releaseParent({ runId: run.runId, parentId: id('root'), childId: id('base/0'), childDigest: 'sha256:b0', depCount: 2, claimant: 'a', now: 0, staleClaimMs: 1 });
    expect(await reproveProof(w, plan, due, jobIndexOf(plan, id('base/0')), 'sha256:b0')).toBe(true);
    expect(await w.store.getJob(run.runId, id('base/0'))).toMatchObject({ state: 'waiting', digest: '' });
    expect((await w.store.getJob(run.runId, id('root')))!.children).toEqual({});
    expect(await queued()).toEqual([id('base/0')]);
  });

  it('proves the root again (it has no parent)', async () => {
    const { w, plan, run, id, queued } = await graph();
    await w.store.completeJob(run.runId, id('root'), 'sha256:r', 0);
    expect(await reproveProof(w, plan, due, plan.rootIndex, 'sha256:r')).toBe(true);
    expect(await w.store.getJob(run.runId, id('root'))).toMatchObject({ state: 'waiting', digest: '' });
    expect(await queued()).toEqual([id('root')]);
  });

  it('does nothing when the proof was already replaced (another caller was first)', async () => {
    const { w, plan, run, id, queued } = await graph();
    await w.store.completeJob(run.runId, id('base/0'), 'sha256:new', 0);
    expect(await reproveProof(w, plan, due, jobIndexOf(plan, id('base/0')), 'sha256:old')).toBe(false);
    expect(await w.store.getJob(run.runId, id('base/0'))).toMatchObject({ state: 'done', digest: 'sha256:new' });
    expect(await queued()).toEqual([]);
  });
});
