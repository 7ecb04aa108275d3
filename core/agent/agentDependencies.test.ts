import { describe, expect, it } from 'vitest';
import { memoryRunWorld } from '../../test/support/memoryRunWorld.js';
import { agentDependencies } from './agentDependencies.js';

describe('agentDependencies', () => {
  it('gives an agent the shared ports and its own tier, id, backend and driver', () => {
    const w = memoryRunWorld();
    const driver = { start: async () => true, rootProven: async () => undefined, fail: async () => undefined };
    const backend = { name: 'none', simulated: true, prove: async () => new Uint8Array() };
    const deps = agentDependencies(w.deps, { tier: 'light', agentId: 'a-1', backend, driver });
    expect(deps).toMatchObject({ tier: 'light', agentId: 'a-1', store: w.store, queue: w.deps.queue, runs: w.deps.runs, targets: w.targets, driver, backend });
  });
});
