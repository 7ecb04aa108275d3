import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeJobStoreContract } from '../../test/contracts/jobStore.contract.js';
import { openLmdbJobStore } from './lmdbJobStore.js';

describeJobStoreContract('embedded (LMDB)', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'pb-store-'));
  const store = openLmdbJobStore(directory);
  return {
    store,
    close: async () => {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});
