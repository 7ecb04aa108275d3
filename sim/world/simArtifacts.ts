import { digestOf } from '../../core/artifacts/digest.js';
import { MissingArtifactError } from '../../core/errors/index.js';
import type { ArtifactStore } from '../../core/ports/artifactStore.js';
import type { ControlPlaneCounts } from './controlPlaneMeter.js';
import type { Synchronous } from '../../core/ports/synchronous.js';

/** The simulated S3 bucket: content-addressed bytes in memory, each request counted as S3 bills it. */
export function createSimArtifacts(counts: ControlPlaneCounts): Synchronous<ArtifactStore> {
  const objects = new Map<string, Uint8Array>();
  return {
    put(bytes) {
      counts.s3Puts++;
      const digest = digestOf(bytes);
      objects.set(digest, bytes);
      return digest;
    },
    get(digest) {
      counts.s3Gets++;
      const bytes = objects.get(digest);
      if (!bytes) throw new MissingArtifactError(digest);
      return bytes;
    },
  };
}

/** One caller's `ArtifactStore` port: GETs and PUTs answer after their own latencies. */
export function simArtifactPort(
  artifacts: Synchronous<ArtifactStore>,
  getPause: () => Promise<void>,
  putPause: () => Promise<void>,
): ArtifactStore {
  return {
    async put(bytes) {
      const digest = artifacts.put(bytes);
      await putPause();
      return digest;
    },
    async get(digest) {
      const bytes = artifacts.get(digest);
      await getPause();
      return bytes;
    },
  };
}
