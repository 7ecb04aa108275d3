import { describeFleetTargetsContract } from '../../test/contracts/fleetTargets.contract.js';
import { emulatorClients, uniqueName } from '../../test/integration/support/awsTestEnvironment.js';
import { createDynamoFleetTargets } from './dynamoFleetTargets.js';
import { ensureJobTable } from './dynamoJobTable.js';

describeFleetTargetsContract('AWS (DynamoDB Local)', async () => {
  const clients = emulatorClients();
  // A table per test: targets are one item per tier, so tests would otherwise see each other's.
  const tableName = uniqueName('fleet');
  await ensureJobTable(clients.dynamodb, tableName);
  return { targets: createDynamoFleetTargets({ client: clients.dynamodb, tableName }), close: async () => clients.destroy() };
});
