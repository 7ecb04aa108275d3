import { describe, expect, it } from 'vitest';
import { memoryRunWorld } from '../../test/support/memoryRunWorld.js';
import { recordJobFailure } from './recordJobFailure.js';

async function graph() {
  const w = memoryRunWorld();
  const { run } = await w.planned();
  const failed: { runId: string; reason: string }[] = [];
  const ports = { store: w.store, log: w.log, driver: { fail: async (runId: string, reason: string) => void failed.push({ runId, reason }) } };
  const jobId = `${run.runId}/vm/0.0`;
  const attempt = async (owner = 'agent-a') => {
    await w.store.leaseJob({ runId: run.runId, jobId, owner, now: w.clock.now(), leaseMs: 60_000 });
    return recordJobFailure(ports, { runId: run.runId, jobId, kind: 'vm', owner, error: 'Error: boom', now: w.clock.now() }, { maxFailures: 2 });
  };
  return { w, run, jobId, failed, attempt };
}

describe('recordJobFailure', () => {
  it('counts the attempt and leaves the run alone while retries are left', async () => {
    const { w, run, jobId, failed, attempt } = await graph();
    expect(await attempt()).toEqual({ failures: 1, exhausted: false });
    expect(await w.store.getJob(run.runId, jobId)).toMatchObject({ state: 'waiting', failures: 1, lastError: 'Error: boom' });
    expect(failed).toEqual([]);
    expect(w.log.lines.at(-1)).toMatchObject({ level: 'warn', message: 'proof failed', fields: { jobId, kind: 'vm', failures: 1, exhausted: false } });
  });

  it('fails the job for good at maxFailures, and its run with it, saying which job and why', async () => {
    const { w, run, jobId, failed, attempt } = await graph();
    await attempt();
    expect(await attempt('agent-b')).toEqual({ failures: 2, exhausted: true });
    expect(await w.store.getJob(run.runId, jobId)).toMatchObject({ state: 'failed' });
    expect(failed).toEqual([{ runId: run.runId, reason: `job ${jobId} (vm) failed 2 times: Error: boom` }]);
  });
});
