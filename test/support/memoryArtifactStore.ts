import { digestHex, digestOf } from '../../core/artifacts/digest.js';
import { CorruptArtifactError, MissingArtifactError } from '../../core/errors/index.js';
import type { ArtifactStore } from '../../core/ports/artifactStore.js';

/** An artifact store in memory for unit tests, checked by digest on every read like the real ones. */
export interface MemoryArtifactStore extends ArtifactStore {
  /** Replaces what is stored under `digest` with other bytes, behind the store's back. */
  corrupt(digest: string): void;
  /** Forgets what is stored under `digest`. */
  remove(digest: string): void;
}

export function memoryArtifactStore(): MemoryArtifactStore {
  const objects = new Map<string, Uint8Array>();
  return {
    async put(bytes) {
      const digest = digestOf(bytes);
      objects.set(digest, Uint8Array.from(bytes));
      return digest;
    },
    async get(digest) {
      digestHex(digest);
      const bytes = objects.get(digest);
      if (!bytes) throw new MissingArtifactError(digest);
      const actual = digestOf(bytes);
      if (actual !== digest) throw new CorruptArtifactError(digest, actual);
      return Uint8Array.from(bytes);
    },
    corrupt(digest) {
      objects.set(digest, new TextEncoder().encode(`corrupted ${digest}`));
    },
    remove(digest) {
      objects.delete(digest);
    },
  };
}
