import { mkdirSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { open, type Database } from 'lmdb';
import { closeLmdb } from './closeLmdb.js';
import { digestHex, digestOf } from '../../core/artifacts/digest.js';
import { CorruptArtifactError, MissingArtifactError } from '../../core/errors/index.js';
import type { ArtifactStore } from '../../core/ports/artifactStore.js';

/**
 * Artifacts up to this size live in an LMDB table keyed by digest: creating two directory entries per proof
 * (a temporary file and its rename) was the devnet's bottleneck at about 2,000 proofs a second.
 */
const SMALL_ARTIFACT_BYTES = 64 * 1024;

export interface DirectoryArtifactStore extends ArtifactStore {
  /** Where a large artifact's file is (small ones are rows of `small.lmdb`). */
  pathOf(digest: string): string;
  /** Stores other bytes under a digest, behind the store's back (fault tests). */
  tamper(digest: string, bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/**
 * The embedded artifact store, one directory: small artifacts in `small.lmdb`, large ones as files named by their
 * sha256 (`large/ab/cdef…`), written under a temporary name and renamed into place so a reader never sees half a
 * file. Every read is checked against its digest, so a torn or tampered artifact is reported as corrupt, not used.
 */
export function openFileArtifactStore(directory: string): DirectoryArtifactStore {
  mkdirSync(join(directory, 'large'), { recursive: true });
  const small: Database<Uint8Array, string> = open({
    path: join(directory, 'small.lmdb'),
    encoding: 'binary',
    compression: false,
    noMetaSync: true,
  });
  const made = new Set<string>();
  const pathOf = (digest: string) => {
    const hex = digestHex(digest);
    return join(directory, 'large', hex.slice(0, 2), hex.slice(2));
  };
  const writeLarge = async (digest: string, bytes: Uint8Array) => {
    const path = pathOf(digest);
    const folder = path.slice(0, path.lastIndexOf('/'));
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    const temporary = `${path}.${randomUUID()}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  };
  const read = async (digest: string): Promise<Uint8Array | undefined> => {
    const row = small.get(digest);
    if (row) return row;
    try {
      return await readFile(pathOf(digest));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };

  return {
    pathOf,
    async put(bytes) {
      const digest = digestOf(bytes);
      if (bytes.length <= SMALL_ARTIFACT_BYTES) {
        // Rewritten when what is stored no longer hashes to its key: re-proving repairs a corrupt artifact.
        const stored = small.get(digest);
        if (stored === undefined || digestOf(stored) !== digest) await small.put(digest, Buffer.from(bytes));
      } else {
        await writeLarge(digest, bytes);
      }
      return digest;
    },
    async get(digest) {
      digestHex(digest);
      const bytes = await read(digest);
      if (!bytes) throw new MissingArtifactError(digest);
      const actual = digestOf(bytes);
      if (actual !== digest) throw new CorruptArtifactError(digest, actual);
      return bytes;
    },
    async tamper(digest, bytes) {
      if (small.get(digest) !== undefined) await small.put(digest, Buffer.from(bytes));
      else await writeLarge(digest, bytes);
    },
    async close() {
      await closeLmdb(small);
    },
  };
}
