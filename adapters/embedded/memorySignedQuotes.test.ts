import { describeSignedQuotesContract } from '../../test/contracts/signedQuotes.contract.js';
import { createMemorySignedQuotes } from './memorySignedQuotes.js';

describeSignedQuotesContract('embedded (memory)', async () => ({ quotes: createMemorySignedQuotes(), close: async () => undefined }));
