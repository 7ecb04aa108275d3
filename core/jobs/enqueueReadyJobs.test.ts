import { describe, expect, it } from 'vitest';
import { syntheticBlockBody } from '../body/syntheticBlockBody.js';
import type { BlockPlan } from '../plan/blockPlan.js';
import { jobIdAt } from '../plan/jobAt.js';
import { planBlock } from '../plan/planBlock.js';
import { rfp2023 } from '../profiles/rfp2023.js';
import type { JobStore } from '../ports/jobStore.js';
import type { Tier } from '../tiers.js';
import { memoryRunWorld, recordingSends } from '../../test/support/memoryRunWorld.js';
import { enqueueReadyJobs, enqueueReadyLeaves } from './enqueueReadyJobs.js';
import { runDue } from './urgency.js';

/** Deadline 0 at the cloud's time scale. */
const due = runDue({ provingDeadline: 0 }, 1);

async function complete(store: JobStore, plan: BlockPlan, jobs: readonly number[]) {
  for (const job of jobs) await store.completeJob(plan.blockId, jobIdAt(plan, job), `sha256:${job}`, 0);
}

/** A world whose queue records each send (tier and batch). */
const world = () => recordingSends(memoryRunWorld());

async function queued(w: ReturnType<typeof memoryRunWorld>, tier: Tier): Promise<string[]> {
  const deliveries = await w.queue.receive(tier, { max: 5_000, waitMs: 0, visibilityMs: 1_000 });
  return deliveries.map((d) => d.message.jobId).sort();
}

describe('enqueueReadyJobs', () => {
  it('queues exactly the jobs not done whose children are all done, each to its tier', async () => {
    const w = memoryRunWorld();
    const plan = planBlock(syntheticBlockBody({ txs: 2, publicCalls: { kind: 'fixed', calls: 1 }, seed: 'frontier' }), rfp2023, { blockId: 'r', trusted: true });
    const index = (id: string) => Array.from({ length: plan.size }, (_, i) => i).find((i) => jobIdAt(plan, i) === `r/${id}`)!;
    await complete(w.store, plan, [index('vm/0.0'), index('vm/1.0'), index('kernel/0.0')]);
    expect(await enqueueReadyJobs(w.store, w.queue, plan, due)).toBe(2);
    expect(await queued(w, 'light')).toEqual(['r/base/0', 'r/kernel/1.0']);
    expect(await queued(w, 'heavy')).toEqual([]);
  });

  it('never queues a job that failed for good, nor what waits on it', async () => {
    const w = memoryRunWorld();
    const plan = planBlock(syntheticBlockBody({ txs: 2, publicCalls: { kind: 'fixed', calls: 0 }, seed: 'failed' }), rfp2023, { blockId: 'r', trusted: true });
    await w.store.leaseJob({ runId: 'r', jobId: 'r/base/0', owner: 'a', now: 0, leaseMs: 1_000 });
    await w.store.recordFailure({ runId: 'r', jobId: 'r/base/0', owner: 'a', error: 'boom', now: 0, maxFailures: 1 });
    expect(await enqueueReadyJobs(w.store, w.queue, plan, due)).toBe(1);
    expect(await queued(w, 'light')).toEqual(['r/base/1']);
  });

  it('reads and sends in chunks without losing a job at the chunk boundaries', async () => {
    const w = memoryRunWorld();
    // 1,100 private txs: 1,100 bases, 1,098 merges and the root (2,199 jobs, read in three chunks).
    const plan = planBlock(syntheticBlockBody({ txs: 1_100, publicCalls: { kind: 'fixed', calls: 0 }, seed: 'chunks' }), rfp2023, { blockId: 'r', trusted: true });
    expect(await enqueueReadyJobs(w.store, w.queue, plan, due)).toBe(1_100);
    expect(await queued(w, 'light')).toHaveLength(1_100);
    const allButRoot = Array.from({ length: plan.size }, (_, i) => i).filter((i) => i !== plan.rootIndex);
    await complete(w.store, plan, allButRoot);
    expect(await enqueueReadyJobs(w.store, w.queue, plan, due)).toBe(1);
    expect(await queued(w, 'light')).toEqual(['r/root']);
    await complete(w.store, plan, [plan.rootIndex]);
    expect(await enqueueReadyJobs(w.store, w.queue, plan, due)).toBe(0);
  });
});

describe('enqueueReadyLeaves', () => {
  it('sends the leaves per tier in batches of at most 1,000 and says how many', async () => {
    const w = world();
    const body = syntheticBlockBody({ txs: 1_024, publicCalls: { kind: 'fixed', calls: 1 }, seed: 'wide' });
    const plan = planBlock(body, rfp2023, { blockId: 'wide', trusted: true });
    expect(await enqueueReadyLeaves(w.queue, plan, due)).toBe(1_024);
    expect(w.sends.map((s) => [s.tier, s.messages.length])).toEqual([
      ['heavy', 1_000],
      ['heavy', 24],
    ]);
    expect(new Set(w.sent('heavy')).size).toBe(1_024);
    expect(w.sends[0]!.messages[0]).toMatchObject({ runId: 'wide', jobIndex: expect.any(Number), latestStart: expect.any(Number) });
  });
});
