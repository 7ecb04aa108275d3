import { describeFleetTargetsContract } from '../../test/contracts/fleetTargets.contract.js';
import { createMemoryFleetTargets } from './memoryFleetTargets.js';

describeFleetTargetsContract('memory (unit tests, simulator)', async () => ({ targets: createMemoryFleetTargets(), close: async () => undefined }));
