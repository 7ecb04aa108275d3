import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CorruptArtifactError, InvalidDigestError, MissingArtifactError } from '../../core/errors/index.js';
import type { ArtifactStore } from '../../core/ports/artifactStore.js';
import { withFixture } from './withFixture.js';

export interface ArtifactStoreFixture {
  readonly artifacts: ArtifactStore;
  /** Overwrites what is stored under `digest` with other bytes, behind the store's back. */
  readonly corrupt: (digest: string) => Promise<void>;
  close(): Promise<void>;
}

/** The behaviour every ArtifactStore adapter must have. */
export function describeArtifactStoreContract(name: string, open: () => Promise<ArtifactStoreFixture>) {
  describe(`ArtifactStore contract: ${name}`, () => {
    const withStore = withFixture(open);

    it('stores bytes under their sha256 and returns them intact', withStore(async ({ artifacts }) => {
      const bytes = new TextEncoder().encode('a proof');
      const digest = await artifacts.put(bytes);
      expect(digest).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
      expect(await artifacts.put(bytes)).toBe(digest);
      expect(Buffer.from(await artifacts.get(digest)).toString()).toBe('a proof');
    }));

    it('round-trips a large proof (6 MiB)', withStore(async ({ artifacts }) => {
      const bytes = randomBytes(6 * 1024 * 1024);
      const digest = await artifacts.put(bytes);
      expect(Buffer.compare(Buffer.from(await artifacts.get(digest)), bytes)).toBe(0);
    }));

    it('reports a missing artifact by name', withStore(async ({ artifacts }) => {
      await expect(artifacts.get(`sha256:${'0'.repeat(64)}`)).rejects.toBeInstanceOf(MissingArtifactError);
    }));

    it('refuses bytes that no longer match their digest', withStore(async ({ artifacts, corrupt }) => {
      const digest = await artifacts.put(new TextEncoder().encode('the real proof'));
      await corrupt(digest);
      const error = await artifacts.get(digest).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CorruptArtifactError);
      expect(error).toMatchObject({ digest });
    }));

    it('repairs a corrupt artifact when the same bytes are stored again', withStore(async ({ artifacts, corrupt }) => {
      const bytes = new TextEncoder().encode('a proof worth keeping');
      const digest = await artifacts.put(bytes);
      await corrupt(digest);
      expect(await artifacts.put(bytes)).toBe(digest);
      expect(Buffer.from(await artifacts.get(digest)).toString()).toBe('a proof worth keeping');
    }));

    it('refuses a malformed digest', withStore(async ({ artifacts }) => {
      await expect(artifacts.get('sha256:../../etc/passwd')).rejects.toBeInstanceOf(InvalidDigestError);
    }));
  });
}
