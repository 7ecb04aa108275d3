import { describeJobStoreContract } from '../../test/contracts/jobStore.contract.js';
import { emptyControlPlaneCounts } from './controlPlaneMeter.js';
import { delayedPort } from './delayedPort.js';
import { createSimJobStore } from './simJobStore.js';

// The simulated table must behave exactly like the embedded and AWS stores: the same contract suite runs against it.
describeJobStoreContract('simulated (in memory)', async () => ({
  store: delayedPort(createSimJobStore(emptyControlPlaneCounts())),
  close: async () => undefined,
}));
