import type { InstancePresence } from '../../core/ports/instancePresence.js';
import type { Synchronous } from '../../core/ports/synchronous.js';
import { AgentWithoutInstanceError } from '../errors/index.js';
import type { FleetAgent } from './fleet.js';

/**
 * The presence of the simulated instance an agent runs on (one per instance, with the instance's rank drawn in
 * `createFleet`): what the agents of that instance would read from their shared host directory on AWS.
 */
export function simInstancePresence(agent: FleetAgent): Synchronous<InstancePresence> {
  if (!agent.instance) throw new AgentWithoutInstanceError(agent.id);
  return agent.instance.presence;
}
