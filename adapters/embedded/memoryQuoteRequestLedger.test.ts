import { describeQuoteRequestLedgerContract } from '../../test/contracts/quoteRequestLedger.contract.js';
import { createMemoryQuoteRequestLedger } from './memoryQuoteRequestLedger.js';

describeQuoteRequestLedgerContract('embedded (memory)', async () => ({ ledger: createMemoryQuoteRequestLedger(), close: async () => undefined }));
