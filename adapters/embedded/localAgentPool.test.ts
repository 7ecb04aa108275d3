import { createMemoryFleetTargets } from './memoryFleetTargets.js';
import { DEFAULT_AGENT_SETTINGS } from '../../core/agent/agentSettings.js';
import type { AgentDependencies } from '../../core/agent/handleDelivery.js';
import { silentLogger } from '../../core/ports/logger.js';
import { describeAgentCapacityContract } from '../../test/contracts/agentCapacity.contract.js';
import { createLocalAgentPool } from './localAgentPool.js';
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

describeAgentCapacityContract('embedded (local agent pool)', async () => {
  const queue = createMemoryWorkQueue({ clock: systemClock, maxReceiveCount: 3 });
  const targets = createMemoryFleetTargets();
  const pool = createLocalAgentPool({
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
  return { capacity: pool, advance: (ms) => systemClock.sleep(ms), close: () => pool.stopAll() };
});
