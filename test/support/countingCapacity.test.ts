import { describeAgentCapacityContract } from '../contracts/agentCapacity.contract.js';
import { countingCapacity } from './countingCapacity.js';

// The unit tests' fleet must count like the real ones: the same contract suite runs against it.
describeAgentCapacityContract('counting (unit tests)', async () => ({
  capacity: countingCapacity(),
  advance: async () => undefined,
  close: async () => undefined,
}));
