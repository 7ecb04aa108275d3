import { describe, expect, it } from 'vitest';
import { UnknownRunError } from '../errors/index.js';
import { memoryRunWorld } from '../../test/support/memoryRunWorld.js';
import { createRunContexts, runRecordFresh } from './runContexts.js';

/** Three planned runs, and run contexts over them that count their store and artifact reads. */
async function contexts(runTtlMs = 1_000, maxPlans = 2) {
  const w = memoryRunWorld();
  const runs = [(await w.planned(1n)).run, (await w.planned(2n)).run, (await w.planned(3n)).run];
  const reads = { runs: 0, bodies: 0 };
  const store = { ...w.store, getRun: (runId: string) => (reads.runs++, w.store.getRun(runId)) };
  const artifacts = { ...w.artifacts, get: (digest: string) => (reads.bodies++, w.artifacts.get(digest)) };
  return { w, runs, reads, contexts: createRunContexts({ store, artifacts, clock: w.clock, runTtlMs, maxPlans }) };
}

describe('createRunContexts', () => {
  it('rebuilds a run’s plan from its stored body once, and keeps it', async () => {
    const { runs, reads, contexts: c } = await contexts();
    const first = await c.get(runs[0]!.runId);
    expect(first.run).toEqual(runs[0]);
    expect(first.plan).toMatchObject({ blockId: runs[0]!.runId, size: runs[0]!.jobCount, criticalPathSeconds: runs[0]!.criticalPathSeconds });
    expect((await c.get(runs[0]!.runId)).plan).toBe(first.plan);
    expect(reads.bodies).toBe(1);
  });

  it('trusts a run record for runTtlMs, then reads it again (to notice an abandoned run)', async () => {
    const { w, runs, reads, contexts: c } = await contexts(1_000);
    await c.get(runs[0]!.runId);
    await w.store.transitionRun(runs[0]!.runId, ['planned'], 'abandoned', {}, 0);
    w.clock.set(w.clock.now() + 999);
    expect((await c.get(runs[0]!.runId)).run.state).toBe('planned');
    expect(reads.runs).toBe(1);
    w.clock.set(w.clock.now() + 1);
    expect((await c.get(runs[0]!.runId)).run.state).toBe('abandoned');
    expect(reads.runs).toBe(2);
  });

  it('keeps only the most recent maxPlans plans', async () => {
    const { runs, reads, contexts: c } = await contexts(1_000, 2);
    for (const run of runs) await c.get(run.runId);
    expect(reads.bodies).toBe(3);
    await c.get(runs[1]!.runId);
    await c.get(runs[2]!.runId);
    expect(reads.bodies).toBe(3);
    await c.get(runs[0]!.runId);
    expect(reads.bodies).toBe(4);
  });

  it('builds a plan with the caller’s buildPlan from the body it read, once per run', async () => {
    const w = memoryRunWorld();
    const { run, plan } = await w.planned(1n);
    const built: { runId: string; bytes: number }[] = [];
    const c = createRunContexts({
      store: w.store,
      artifacts: w.artifacts,
      clock: w.clock,
      runTtlMs: 1_000,
      maxPlans: 2,
      async buildPlan(of, body) {
        built.push({ runId: of.runId, bytes: body.length });
        return plan;
      },
    });
    expect((await c.get(run.runId)).plan).toBe(plan);
    expect((await c.get(run.runId)).plan).toBe(plan);
    expect(built).toEqual([{ runId: run.runId, bytes: (await w.artifacts.get(run.bodyDigest)).length }]);
  });

  it('refuses a run nobody created, by name', async () => {
    const { contexts: c } = await contexts();
    await expect(c.get('b9-nobody')).rejects.toThrow(new UnknownRunError('b9-nobody'));
  });

  it('forgets a plan it failed to build, so the next ask tries again', async () => {
    const { w, runs, contexts: c } = await contexts();
    const body = await w.artifacts.get(runs[0]!.bodyDigest);
    w.artifacts.remove(runs[0]!.bodyDigest);
    await expect(c.get(runs[0]!.runId)).rejects.toThrow('does not exist');
    await w.artifacts.put(body);
    expect((await c.get(runs[0]!.runId)).plan.size).toBe(runs[0]!.jobCount);
  });
});

describe('runRecordFresh', () => {
  it('trusts a record for runTtlMs after it was read, not at runTtlMs', () => {
    expect(runRecordFresh(1_000, 1_999, 1_000)).toBe(true);
    expect(runRecordFresh(1_000, 2_000, 1_000)).toBe(false);
  });
});
