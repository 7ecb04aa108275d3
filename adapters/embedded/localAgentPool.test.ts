import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemoryFleetTargets } from './memoryFleetTargets.js';
import { DEFAULT_AGENT_SETTINGS } from '../../core/agent/agentSettings.js';
import type { AgentDependencies } from '../../core/agent/handleDelivery.js';
import { silentLogger } from '../../core/ports/logger.js';
import { describeAgentCapacityContract } from '../../test/contracts/agentCapacity.contract.js';
import { createLocalAgentPool, type LocalInstances } from './localAgentPool.js';
import { createMemoryWorkQueue } from './memoryWorkQueue.js';
import { systemClock } from './systemClock.js';

/** A port an idle agent never touches: any call is a contract-test bug, so it fails loudly. */
function unused<T extends object>(port: string): T {
  return new Proxy({} as T, {
    get: (_target, key) => () => {
      throw new Error(`an idle agent called ${port}.${String(key)}`);
    },
  });
}

/** A pool of idle agents (an empty queue, no target), optionally placed on local instances. */
function idlePool(instances?: LocalInstances) {
  const queue = createMemoryWorkQueue({ clock: systemClock, maxReceiveCount: 3 });
  const targets = createMemoryFleetTargets();
  return createLocalAgentPool({
    ...(instances ? { instances } : {}),
    maxAgents: { heavy: 8, light: 8 },
    // Short polls so a stopped agent notices at once; no idle exit during a test.
    settings: { ...DEFAULT_AGENT_SETTINGS, waitMs: 50, idleExitMs: 60_000 },
    instance: 'contract',
    dependencies: (tier, agentId): AgentDependencies => ({
      tier,
      agentId,
      queue,
      clock: systemClock,
      targets,
      log: silentLogger,
      store: unused('store'),
      artifacts: unused('artifacts'),
      backend: unused('backend'),
      runs: unused('runs'),
      driver: unused('driver'),
    }),
  });
}

describeAgentCapacityContract('embedded (local agent pool)', async () => {
  const pool = idlePool();
  return { capacity: pool, advance: (ms) => systemClock.sleep(ms), close: () => pool.stopAll() };
});

describe('local agent pool on local instances', () => {
  it('places agents on the fullest instance with a free slot, each announced in its instance\'s directory until it exits', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'pb-instances-'));
    const pool = idlePool({ directory, slots: { heavy: 2, light: 4 } });
    const announced = () =>
      readdirSync(directory)
        .sort()
        .map((instance) => [instance, readdirSync(join(directory, instance)).filter((name) => name.startsWith('agent.')).length]);
    try {
      await pool.start('heavy', 3, { spot: true, reason: 'test' });
      await pool.start('light', 1, { spot: true, reason: 'test' });
      // Each agent announces itself at its first check, before its first receive.
      const deadline = Date.now() + 10_000;
      while (announced().reduce((sum, [, count]) => sum + Number(count), 0) < 4 && Date.now() < deadline) await systemClock.sleep(10);
      expect(announced()).toEqual([['heavy-0', 2], ['heavy-1', 1], ['light-0', 1]]);
      await pool.stopAll();
      expect(announced()).toEqual([['heavy-0', 0], ['heavy-1', 0], ['light-0', 0]]);
    } finally {
      await pool.stopAll();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
