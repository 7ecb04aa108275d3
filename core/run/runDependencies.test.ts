import { describe, expect, it } from 'vitest';
import { memoryRunWorld } from '../../test/support/memoryRunWorld.js';
import { createRunDependencies } from './runDependencies.js';

describe('createRunDependencies', () => {
  it('builds run contexts over the given ports, and fresh scaler state each time', async () => {
    const w = memoryRunWorld();
    const { run } = await w.planned(1n);
    const { runs: _runs, scaler: _scaler, ...ports } = w.deps;
    const a = createRunDependencies(ports, { runTtlMs: 1_000, maxPlans: 1 });
    const b = createRunDependencies(ports, { runTtlMs: 1_000, maxPlans: 1 });
    expect((await a.runs.get(run.runId)).run).toEqual(run);
    expect(a.scaler).not.toBe(b.scaler);
    expect(a.scaler.pacing.size + a.scaler.profiles.size).toBe(0);
    expect(a.store).toBe(w.store);
  });

  it('keeps run contexts the caller brings (the simulator’s shared plan)', () => {
    const w = memoryRunWorld();
    expect(createRunDependencies(w.deps, w.deps.runs).runs).toBe(w.deps.runs);
  });
});
