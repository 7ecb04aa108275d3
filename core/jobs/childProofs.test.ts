import { describe, expect, it } from 'vitest';
import { jobIndexOf } from '../plan/jobAt.js';
import { memoryRunWorld } from '../../test/support/memoryRunWorld.js';
import { childNotDone, childProofsOf, readChildProofs } from './childProofs.js';
import { runDue } from './urgency.js';

/** Deadline 0 at the cloud's time scale. */
const due = runDue({ provingDeadline: 0 }, 1);

/** A planned block (2 txs × 1 public call) whose bases are both done, their proofs stored; the root is next. */
async function graph() {
  const w = memoryRunWorld();
  const { plan, run } = await w.planned();
  const id = (suffix: string) => `${run.runId}/${suffix}`;
  const proofs = { base0: new TextEncoder().encode('base 0'), base1: new TextEncoder().encode('base 1') };
  const digests = { [id('base/0')]: await w.artifacts.put(proofs.base0), [id('base/1')]: await w.artifacts.put(proofs.base1) };
  for (const [jobId, digest] of Object.entries(digests)) await w.store.completeJob(run.runId, jobId, digest, 0);
  await w.store.releaseParent({ runId: run.runId, parentId: id('root'), childId: id('base/0'), childDigest: digests[id('base/0')]!, depCount: 2, claimant: 'a', now: 0, staleClaimMs: 1 });
  await w.store.releaseParent({ runId: run.runId, parentId: id('root'), childId: id('base/1'), childDigest: digests[id('base/1')]!, depCount: 2, claimant: 'a', now: 0, staleClaimMs: 1 });
  await w.queue.receive('heavy', { max: 10, waitMs: 0, visibilityMs: 60_000 });
  const ports = { artifacts: w.artifacts, store: w.store, queue: w.queue, log: w.log };
  const queued = async () => (await w.queue.receive('light', { max: 10, waitMs: 0, visibilityMs: 60_000 })).map((d) => d.message.jobId);
  return { w, plan, run, id, proofs, digests, ports, queued, at: (suffix: string) => jobIndexOf(plan, id(suffix)) };
}

describe('childProofsOf', () => {
  it("lists a job's children in input order with the digest its lease recorded, undefined where none", async () => {
    const { plan, id, digests, at } = await graph();
    expect(childProofsOf(plan, plan.rootIndex, { [id('base/1')]: digests[id('base/1')]! })).toEqual([
      { child: at('base/0'), childId: id('base/0'), digest: undefined },
      { child: at('base/1'), childId: id('base/1'), digest: digests[id('base/1')] },
    ]);
    expect(childProofsOf(plan, at('vm/0.0'), {})).toEqual([]);
  });
});

describe('readChildProofs', () => {
  it("reads the children's proofs in input order", async () => {
    const { plan, proofs, digests, ports } = await graph();
    expect(await readChildProofs(ports, plan, due, plan.rootIndex, digests)).toEqual([proofs.base0, proofs.base1]);
  });

  it('says which child is not done, reading nothing after it', async () => {
    const { w, plan, id, digests, ports } = await graph();
    let reads = 0;
    const counted = { ...ports, artifacts: { get: (digest: string) => (reads++, w.artifacts.get(digest)) } };
    expect(await readChildProofs(counted, plan, due, plan.rootIndex, { [id('base/1')]: digests[id('base/1')]! })).toBe(childNotDone(id('base/0')));
    expect(reads).toBe(0);
    expect(childNotDone('x/base/0')).toBe('child x/base/0 is not done (it was invalidated after this job was enqueued)');
  });

  it('proves a corrupt or missing child again: forgets it, takes it off its parent, queues it, and says why', async () => {
    const { w, plan, run, id, digests, ports, queued } = await graph();
    w.artifacts.corrupt(digests[id('base/1')]!);
    const why = await readChildProofs(ports, plan, due, plan.rootIndex, digests);
    expect(why).toMatch(new RegExp(`^child ${id('base/1')}: artifact ${digests[id('base/1')]} is corrupt`));
    expect(await w.store.getJob(run.runId, id('base/1'))).toMatchObject({ state: 'waiting', digest: '' });
    expect(Object.keys((await w.store.getJob(run.runId, id('root')))!.children)).toEqual([id('base/0')]);
    expect(await queued()).toEqual([id('base/1')]);
    expect(w.log.lines.at(-1)).toMatchObject({ level: 'warn', fields: { childId: id('base/1') } });
    w.artifacts.remove(digests[id('base/0')]!);
    expect(await readChildProofs(ports, plan, due, plan.rootIndex, digests)).toMatch(`child ${id('base/0')}: artifact ${digests[id('base/0')]} does not exist`);
  });

  it('lets any other read failure through, forgetting nothing', async () => {
    const { w, plan, run, id, digests, ports, queued } = await graph();
    const outage = { ...ports, artifacts: { get: () => Promise.reject(new Error('S3 is down')) } };
    await expect(readChildProofs(outage, plan, due, plan.rootIndex, digests)).rejects.toThrow('S3 is down');
    expect(await w.store.getJob(run.runId, id('base/0'))).toMatchObject({ state: 'done' });
    expect(await queued()).toEqual([]);
  });
});
