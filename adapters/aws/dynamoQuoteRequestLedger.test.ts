import { describeQuoteRequestLedgerContract } from '../../test/contracts/quoteRequestLedger.contract.js';
import { emulatorClients, uniqueName } from '../../test/integration/support/awsTestEnvironment.js';
import { ensureJobTable } from './dynamoJobTable.js';
import { createDynamoQuoteRequestLedger } from './dynamoQuoteRequestLedger.js';

let table: Promise<string> | undefined;

describeQuoteRequestLedgerContract('AWS (DynamoDB Local)', async () => {
  const clients = emulatorClients();
  table ??= (async () => {
    const name = uniqueName('quote-ledger');
    await ensureJobTable(clients.dynamodb, name);
    return name;
  })();
  return { ledger: createDynamoQuoteRequestLedger({ client: clients.dynamodb, tableName: await table }), close: async () => clients.destroy() };
});
