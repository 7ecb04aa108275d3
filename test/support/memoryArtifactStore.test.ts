import { describeArtifactStoreContract } from '../contracts/artifactStore.contract.js';
import { memoryArtifactStore } from './memoryArtifactStore.js';

// The unit tests' artifact store must behave like the real ones: the same contract suite runs against it.
describeArtifactStoreContract('in memory (unit tests)', async () => {
  const artifacts = memoryArtifactStore();
  return { artifacts, corrupt: async (digest) => artifacts.corrupt(digest), close: async () => undefined };
});
