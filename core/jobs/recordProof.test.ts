import { describe, expect, it } from 'vitest';
import { jobIndexOf } from '../plan/jobAt.js';
import { memoryRunWorld } from '../../test/support/memoryRunWorld.js';
import { recordProof } from './recordProof.js';
import { runDue } from './urgency.js';

/** Deadline 0 at the cloud's time scale. */
const due = runDue({ provingDeadline: 0 }, 1);

const settings = { staleClaimMs: 5_000 };

async function graph() {
  const w = memoryRunWorld();
  const { plan, run } = await w.planned();
  await w.queue.receive('heavy', { max: 10, waitMs: 0, visibilityMs: 60_000 });
  const roots: string[] = [];
  const ports = { store: w.store, queue: w.queue, clock: w.clock, driver: { rootProven: async (_runId: string, digest: string) => void roots.push(digest) } };
  const id = (suffix: string) => `${run.runId}/${suffix}`;
  return { w, plan, run, id, ports, roots, at: (suffix: string) => jobIndexOf(plan, id(suffix)) };
}

describe('recordProof', () => {
  it('marks the job done, records it on its parent and enqueues the parent when it is ready', async () => {
    const { w, plan, run, id, ports, at } = await graph();
    w.clock.set(1_700_000_005_000);
    expect(await recordProof(ports, plan, due, at('vm/0.0'), 'sha256:v', 'agent-a', settings)).toEqual({ first: true, digest: 'sha256:v' });
    expect(await w.store.getJob(run.runId, id('vm/0.0'))).toMatchObject({ state: 'done', digest: 'sha256:v' });
    expect(await w.store.getJob(run.runId, id('kernel/0.0'))).toMatchObject({ children: { [id('vm/0.0')]: 'sha256:v' }, claimedBy: 'agent-a', claimedAt: 1_700_000_005_000 });
    const queued = await w.queue.receive('light', { max: 10, waitMs: 0, visibilityMs: 1 });
    expect(queued.map((d) => d.message.jobId)).toEqual([id('kernel/0.0')]);
  });

  it('keeps the first digest of a job proven twice and releases the parent with it', async () => {
    const { w, plan, run, id, ports, at } = await graph();
    await recordProof(ports, plan, due, at('base/0'), 'sha256:first', 'agent-a', settings);
    expect(await recordProof(ports, plan, due, at('base/0'), 'sha256:second', 'agent-b', settings)).toEqual({ first: false, digest: 'sha256:first' });
    expect((await w.store.getJob(run.runId, id('root')))!.children).toEqual({ [id('base/0')]: 'sha256:first' });
  });

  it('signals the run when the root is recorded', async () => {
    const { plan, ports, roots } = await graph();
    await recordProof(ports, plan, due, plan.rootIndex, 'sha256:r', 'agent-a', settings);
    expect(roots).toEqual(['sha256:r']);
  });
});
