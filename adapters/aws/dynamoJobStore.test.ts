import { describeJobStoreContract } from '../../test/contracts/jobStore.contract.js';
import { emulatorClients, uniqueName } from '../../test/integration/support/awsTestEnvironment.js';
import { systemClock } from '../embedded/systemClock.js';
import { createDynamoJobStore } from './dynamoJobStore.js';
import { ensureJobTable } from './dynamoJobTable.js';

let table: Promise<string> | undefined;

describeJobStoreContract('AWS (DynamoDB Local)', async () => {
  const clients = emulatorClients();
  // One table for the whole suite: every contract test uses its own run ids.
  table ??= (async () => {
    const name = uniqueName('jobs');
    await ensureJobTable(clients.dynamodb, name);
    return name;
  })();
  const store = createDynamoJobStore({ client: clients.dynamodb, tableName: await table, clock: systemClock });
  return { store, close: async () => clients.destroy() };
});
