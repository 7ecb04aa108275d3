import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeArtifactStoreContract } from '../../test/contracts/artifactStore.contract.js';
import { openFileArtifactStore } from './fileArtifactStore.js';

describeArtifactStoreContract('embedded (directory)', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'pb-artifacts-'));
  const artifacts = openFileArtifactStore(directory);
  return {
    artifacts,
    corrupt: (digest) => artifacts.tamper(digest, new TextEncoder().encode('tampered')),
    close: async () => {
      await artifacts.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});
