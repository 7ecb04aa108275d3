import { describe, expect, it } from 'vitest';
import { jobIdAt } from '../plan/jobAt.js';
import { memoryRunWorld } from '../../test/support/memoryRunWorld.js';
import { ORPHANED_REVEAL, reviveRun } from './reviveRun.js';

const NEW_REVEAL = `0x${'b2'.repeat(32)}` as const;

/** A run abandoned with `reason` after its VMs were proven; the queue is emptied. */
async function abandoned(reason: string) {
  const w = memoryRunWorld();
  const { request, run, plan } = await w.runIn('abandoned', { stateReason: reason });
  await w.queue.receive('heavy', { max: 100, waitMs: 0, visibilityMs: 60_000 });
  for (let job = 0; job < plan.size; job++) {
    if (jobIdAt(plan, job).includes('/vm/')) await w.store.completeJob(run.runId, jobIdAt(plan, job), `sha256:${job}`, 0);
  }
  return { w, run, request: { ...request, revealedIn: NEW_REVEAL } };
}

describe('reviveRun', () => {
  it('takes a run orphaned by a reorg back to planned under the new reveal, queuing only the proofs it lacks', async () => {
    const { w, run, request } = await abandoned(`${ORPHANED_REVEAL} at block 12`);
    w.clock.set(w.clock.now() + 1_000);
    const revived = await reviveRun(w.deps, request, (await w.store.getRun(run.runId))!, 1);
    expect(revived).toMatchObject({ state: 'planned', stateReason: '', revealedIn: NEW_REVEAL, updatedAt: w.clock.now() });
    const queued = await w.queue.receive('light', { max: 100, waitMs: 0, visibilityMs: 1_000 });
    expect(queued.map((d) => d.message.jobId).sort()).toEqual([`${run.runId}/kernel/0.0`, `${run.runId}/kernel/1.0`]);
    expect(await w.queue.depth('heavy')).toMatchObject({ ready: 0 });
  });

  it('revives nothing else: another reason, another body, or a run that is not abandoned', async () => {
    const pruned = await abandoned('the block was pruned');
    expect(await reviveRun(pruned.w.deps, pruned.request, (await pruned.w.store.getRun(pruned.run.runId))!, 1)).toBeNull();

    const otherBody = await abandoned(ORPHANED_REVEAL);
    const request = { ...otherBody.request, bodyHash: `0x${'99'.repeat(32)}` as const };
    expect(await reviveRun(otherBody.w.deps, request, (await otherBody.w.store.getRun(otherBody.run.runId))!, 1)).toBeNull();

    const live = await abandoned(ORPHANED_REVEAL);
    const stored = (await live.w.store.getRun(live.run.runId))!;
    expect(await reviveRun(live.w.deps, live.request, { ...stored, state: 'proving' }, 1)).toBeNull();
    // The record moved on meanwhile (a concurrent revive won): nothing is queued twice.
    await live.w.store.transitionRun(live.run.runId, ['abandoned'], 'planned', {}, 0);
    expect(await reviveRun(live.w.deps, live.request, stored, 1)).toBeNull();
    for (const w of [pruned.w, otherBody.w, live.w]) expect(await w.queue.depth('light')).toMatchObject({ ready: 0 });
  });
});
