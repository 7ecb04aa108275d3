import type { RunDependencies } from '../run/runDependencies.js';
import type { AgentDependencies } from './handleDelivery.js';

/** What an agent shares with the block runs of its process (or, in a container, builds the same way). */
export type AgentSharedPorts = Pick<RunDependencies, 'store' | 'queue' | 'artifacts' | 'clock' | 'runs' | 'targets' | 'log'>;

/**
 * One agent's dependencies: the shared ports, and what is its own (tier, id, prover backend, the driver it signals
 * the root and failures to, an event hook, the presence of its instance). The devnet's pool, the test harness and the agent image all wire it so.
 */
export function agentDependencies(
  shared: AgentSharedPorts,
  own: Pick<AgentDependencies, 'tier' | 'agentId' | 'backend' | 'driver' | 'onEvent' | 'presence'>,
): AgentDependencies {
  const { store, queue, artifacts, clock, runs, targets, log } = shared;
  return { store, queue, artifacts, clock, runs, targets, log, ...own };
}
