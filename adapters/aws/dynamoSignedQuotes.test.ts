import { describeSignedQuotesContract } from '../../test/contracts/signedQuotes.contract.js';
import { emulatorClients, uniqueName } from '../../test/integration/support/awsTestEnvironment.js';
import { ensureJobTable } from './dynamoJobTable.js';
import { createDynamoSignedQuotes } from './dynamoSignedQuotes.js';

let table: Promise<string> | undefined;

describeSignedQuotesContract('AWS (DynamoDB Local)', async () => {
  const clients = emulatorClients();
  table ??= (async () => {
    const name = uniqueName('signed-quotes');
    await ensureJobTable(clients.dynamodb, name);
    return name;
  })();
  return { quotes: createDynamoSignedQuotes({ client: clients.dynamodb, tableName: await table }), close: async () => clients.destroy() };
});
