import { describe, expect, it } from 'vitest';
import { jobIdAt, jobIndexOf } from '../plan/jobAt.js';
import { memoryRunWorld } from '../../test/support/memoryRunWorld.js';
import { parentRelease, parentToEnqueue, releaseParent } from './releaseParent.js';
import { runDue } from './urgency.js';

/** Deadline 0 at the cloud's time scale. */
const due = runDue({ provingDeadline: 0 }, 1);

const settings = { staleClaimMs: 5_000 };

/** A planned block (2 txs × 1 public call: vm → kernel → base, two bases → root) and ports that record the root. */
async function graph() {
  const w = memoryRunWorld();
  const { plan, run } = await w.planned();
  await w.queue.receive('heavy', { max: 10, waitMs: 0, visibilityMs: 60_000 });
  const roots: { runId: string; digest: string }[] = [];
  const ports = { store: w.store, queue: w.queue, driver: { rootProven: async (runId: string, digest: string) => void roots.push({ runId, digest }) } };
  const at = (id: string) => jobIndexOf(plan, `${run.runId}/${id}`);
  const queued = async () => (await w.queue.receive('light', { max: 10, waitMs: 0, visibilityMs: 60_000 })).map((d) => d.message.jobId);
  return { w, plan, run, roots, ports, at, queued };
}

describe('parentRelease', () => {
  it("asks the store to record a done job on its parent, which is ready once all its children are", async () => {
    const { plan, run, at } = await graph();
    expect(parentRelease(plan, at('base/0'), 'sha256:b0', 'agent-a', 1_234, settings)).toEqual({
      kind: 'parent',
      request: {
        runId: run.runId,
        parentId: `${run.runId}/root`,
        childId: `${run.runId}/base/0`,
        childDigest: 'sha256:b0',
        depCount: 2,
        claimant: 'agent-a',
        now: 1_234,
        staleClaimMs: 5_000,
      },
    });
    expect(parentRelease(plan, at('vm/0.0'), 'sha256:v', 'agent-b', 9, settings)).toMatchObject({
      request: { parentId: `${run.runId}/kernel/0.0`, childId: `${run.runId}/vm/0.0`, depCount: 1 },
    });
  });

  it('ends the walk at the root', async () => {
    const { plan } = await graph();
    expect(parentRelease(plan, plan.rootIndex, 'sha256:r', 'agent-a', 0, settings)).toEqual({ kind: 'root', digest: 'sha256:r' });
  });
});

describe('parentToEnqueue', () => {
  it("is the parent's message for the one caller the store chose, and nothing for the others", async () => {
    const { plan, at, run } = await graph();
    expect(parentToEnqueue({ enqueue: true, ready: true, children: {} }, plan, at('base/1'), runDue({ provingDeadline: 1_000 }, 1))).toEqual({
      tier: 'light',
      message: { runId: run.runId, jobId: jobIdAt(plan, plan.rootIndex), jobIndex: plan.rootIndex, latestStart: 1_000 - 30 },
    });
    expect(parentToEnqueue({ enqueue: false, ready: true, children: {} }, plan, at('base/1'), runDue({ provingDeadline: 1_000 }, 1))).toBeNull();
  });
});

describe('releaseParent', () => {
  it('enqueues a parent once, when its last child is released, and records each child', async () => {
    const { w, plan, run, ports, at, queued } = await graph();
    await releaseParent(ports, plan, due, at('base/0'), 'sha256:b0', 'agent-a', w.clock.now(), settings);
    expect(await queued()).toEqual([]);
    await releaseParent(ports, plan, due, at('base/1'), 'sha256:b1', 'agent-b', w.clock.now(), settings);
    expect(await queued()).toEqual([`${run.runId}/root`]);
    await releaseParent(ports, plan, due, at('base/1'), 'sha256:b1', 'agent-c', w.clock.now(), settings);
    expect(await queued()).toEqual([]);
    expect(await w.store.getJob(run.runId, `${run.runId}/root`)).toMatchObject({
      claimedBy: 'agent-b',
      children: { [`${run.runId}/base/0`]: 'sha256:b0', [`${run.runId}/base/1`]: 'sha256:b1' },
    });
  });

  it('tells the driver when the root is proven, with its digest, and writes nothing', async () => {
    const { w, plan, run, ports, roots, queued } = await graph();
    await releaseParent(ports, plan, due, plan.rootIndex, 'sha256:r', 'agent-a', w.clock.now(), settings);
    expect(roots).toEqual([{ runId: run.runId, digest: 'sha256:r' }]);
    expect(await queued()).toEqual([]);
  });
});
