import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SrsError } from '../../errors/proverErrors.js';
import { ensureIgnitionSrs, IGNITION_CHUNK_BYTES, IGNITION_G1_URL, IGNITION_G2_URL } from './ignitionSrs.js';
import { IGNITION_G2_FILE } from './structuredReferenceString.js';

/** Stand-in chunks (Ignition's own are 8 MiB each and need the internet): their digests are pinned the same way. */
const chunks = [Buffer.alloc(IGNITION_CHUNK_BYTES, 1), Buffer.alloc(IGNITION_CHUNK_BYTES, 2)];
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function cdn(g1: readonly Buffer[], g2 = Buffer.from(IGNITION_G2_FILE, 'hex')) {
  const requests: string[] = [];
  const fetch = (async (url: string, init?: RequestInit) => {
    const range = (init?.headers as Record<string, string> | undefined)?.Range;
    requests.push(`${url} ${range ?? ''}`.trim());
    if (url === IGNITION_G2_URL) return new Response(g2);
    const from = Number(/bytes=(\d+)-/.exec(range ?? '')![1]);
    return new Response(g1[from / IGNITION_CHUNK_BYTES]);
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

describe('the Ignition SRS', () => {
  let cache = '';
  afterEach(() => rmSync(cache, { recursive: true, force: true }));

  it('is fetched in whole chunks, each checked against its pinned digest, then kept', async () => {
    cache = mkdtempSync(join(tmpdir(), 'pb-srs-'));
    const { fetch, requests } = cdn(chunks);
    const points = IGNITION_CHUNK_BYTES / 64 + 1;
    const srs = await ensureIgnitionSrs({ cacheDirectory: cache, points, bbBinary: '/opt/bb', fetch, chunkSha256: chunks.map(sha256) });
    expect(requests).toEqual([`${IGNITION_G1_URL} bytes=0-${IGNITION_CHUNK_BYTES - 1}`, `${IGNITION_G1_URL} bytes=${IGNITION_CHUNK_BYTES}-${2 * IGNITION_CHUNK_BYTES - 1}`, IGNITION_G2_URL]);
    expect(srs).toMatchObject({ kind: 'ignition', verifierBinary: '/opt/bb', g1Sha256: sha256(Buffer.concat(chunks)) });
    expect(sha256(readFileSync(join(srs.directory, 'bn254_g1.dat')))).toBe(sha256(Buffer.concat(chunks)));
    // Once kept, nothing is fetched again.
    const again = cdn([]);
    await ensureIgnitionSrs({ cacheDirectory: cache, points, bbBinary: '/opt/bb', fetch: again.fetch, chunkSha256: chunks.map(sha256) });
    expect(again.requests).toEqual([]);
  });

  it('keeps nothing when a chunk does not match its digest, and names the chunk', async () => {
    cache = mkdtempSync(join(tmpdir(), 'pb-srs-'));
    const { fetch } = cdn([chunks[0]!, Buffer.alloc(IGNITION_CHUNK_BYTES, 9)]);
    const error = await ensureIgnitionSrs({ cacheDirectory: cache, points: IGNITION_CHUNK_BYTES / 64 + 1, bbBinary: '/opt/bb', fetch, chunkSha256: chunks.map(sha256) }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SrsError);
    expect((error as SrsError).message).toContain('chunk 1 has digest');
    expect(existsSync(join(cache, 'srs', 'ignition-2-chunks'))).toBe(false);
  });

  it("refuses a τ·G2 that is not Ignition's", async () => {
    cache = mkdtempSync(join(tmpdir(), 'pb-srs-'));
    const { fetch } = cdn(chunks, Buffer.alloc(128, 7));
    await expect(ensureIgnitionSrs({ cacheDirectory: cache, points: 10, bbBinary: '/opt/bb', fetch, chunkSha256: chunks.map(sha256) })).rejects.toThrow(
      "not the τ·G2 bb verifies against",
    );
  });
});
