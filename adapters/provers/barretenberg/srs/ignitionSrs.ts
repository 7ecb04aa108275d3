import { createHash } from 'node:crypto';
import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SrsError } from '../../errors/proverErrors.js';
import { buildOnce } from '../buildOnce.js';
import { sha256File } from './developmentSrs.js';
import { g2InPrecompileOrder, IGNITION_G2_FILE, type StructuredReferenceString } from './structuredReferenceString.js';

/** Aztec's flat files of the Ignition ceremony's points (the byte ranges bb itself downloads). */
export const IGNITION_G1_URL = 'https://crs.aztec.network/g1.dat';
export const IGNITION_G2_URL = 'https://crs.aztec.network/g2.dat';
/** Barretenberg checks the G1 file in chunks of 8 MiB (131,072 points). */
export const IGNITION_CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * sha256 of the first 17 8-MiB chunks of Ignition's `g1.dat` (enough for 2^21 + 1 points), as Barretenberg pins them
 * (`bn254_crs_hashes.hpp` in aztec-packages, barretenberg/cpp/src/barretenberg/srs/factories).
 */
export const IGNITION_CHUNK_SHA256: readonly string[] = [
  '3718ffbed583d8a279ccb2545196d5618e3fd97512b65aa051d2ebd0f57fb999',
  '766432ece7cc4e804b4e09dc57d3c1048239d2e8a416eb16919c80a918a3b5fd',
  '9441491eaceadc6aa2635d6ff16f739776805eb1a4ce770dcad082ec9333bf9b',
  'c42aefb8f72cf5d7c4e4900a14106711ede3657615949d17d5e71792f621e4db',
  '33085642283890ebe1d42df4f285738222d63df31908afe93a13cf9dff6270a9',
  '95f293f23092081afd731cf4904e0f0a705e1f5d53249eee67401c6070ef327d',
  '04d23eb3e4456f71413ccc51867c0a5715fce47826f5f5dda72abb4ffda07279',
  'f36a99beac7dec7b4607376d8eddbc99157a4a59f75eac98870f07ac54dbf212',
  '7bfda82441ab5e00c2cb06138ef493c89d94e97119a3b146339cd335049aeb63',
  '45f4a46123c434b7800f6b36aef43e28e636df87158693f4bb9d88b5c9364cd7',
  '1641c3005f434d8ec3f04a1a5c94f6609662f1037c49041d477c6e17c73b1792',
  'be89b57ad508931977aa225050950d6767eb2f9f962a196a9a11452c73d6ec1b',
  'c48638fc95370156092d5c4d0b998c161c3e3d482a16c1d9c8d287a94eb04910',
  '9c99a4f4bba4ba9f524117780d3f043dbfebee924dc15268c1f49c6e40f11635',
  '642fc59bd611e77c2b97b5878540434ffc6b75d95125593466bce67708336c74',
  '4623199871ba5cc31d37cee101c12eb396f6e4537c8996a0be0c43e365fcaa7c',
  'f33c73c4867ce1631c89eb8306798f7bec27d18b1b231f3701bfc0a72b44955d',
];

export interface IgnitionSrsOptions {
  readonly cacheDirectory: string;
  readonly points: number;
  /** bb as shipped: it verifies against Ignition's τ·G2. */
  readonly bbBinary: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /** @default IGNITION_CHUNK_SHA256 (tests pass their own with their own data) */
  readonly chunkSha256?: readonly string[];
  /** @default IGNITION_G2_FILE */
  readonly g2File?: string;
}

/**
 * The genuine Ignition points, fetched once per machine (an image build or an agent's first start) in whole 8-MiB
 * chunks, each checked against Barretenberg's pinned digest before it is kept; τ·G2 must be Ignition's byte for byte.
 * Nothing is written to the cache unless all of it checks out.
 */
export async function ensureIgnitionSrs(options: IgnitionSrsOptions): Promise<StructuredReferenceString> {
  const hashes = options.chunkSha256 ?? IGNITION_CHUNK_SHA256;
  const chunks = Math.ceil((options.points * 64) / IGNITION_CHUNK_BYTES);
  if (chunks > hashes.length) {
    throw new SrsError(`${options.points} Ignition points need ${chunks} chunks; only ${hashes.length} chunk digests are pinned`, {
      points: options.points,
    });
  }
  const fetchBytes = options.fetch ?? globalThis.fetch;
  const expectedG2 = options.g2File ?? IGNITION_G2_FILE;
  const directory = join(options.cacheDirectory, 'srs', `ignition-${chunks}-chunks`);
  await buildOnce(directory, async (temporary) => {
    const g1 = await open(join(temporary, 'bn254_g1.dat'), 'w');
    try {
      for (let chunk = 0; chunk < chunks; chunk++) {
        const from = chunk * IGNITION_CHUNK_BYTES;
        const bytes = await download(fetchBytes, IGNITION_G1_URL, `bytes=${from}-${from + IGNITION_CHUNK_BYTES - 1}`);
        const digest = createHash('sha256').update(bytes).digest('hex');
        if (digest !== hashes[chunk]) {
          throw new SrsError(`Ignition G1 chunk ${chunk} has digest ${digest}, expected ${hashes[chunk]}`, { chunk, digest });
        }
        await g1.write(bytes, 0, bytes.length, from);
      }
    } finally {
      await g1.close();
    }
    const g2 = await download(fetchBytes, IGNITION_G2_URL);
    if (Buffer.from(g2).toString('hex') !== expectedG2) {
      throw new SrsError("Ignition's g2.dat is not the τ·G2 bb verifies against", { g2: Buffer.from(g2).toString('hex') });
    }
    await writeFile(join(temporary, 'bn254_g2.dat'), g2);
  });
  return {
    kind: 'ignition',
    directory,
    points: options.points,
    g1Sha256: await sha256File(join(directory, 'bn254_g1.dat')),
    g2: g2InPrecompileOrder(await readFile(join(directory, 'bn254_g2.dat'))),
    verifierBinary: options.bbBinary,
  };
}

async function download(fetchBytes: typeof globalThis.fetch, url: string, range?: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetchBytes(url, range ? { headers: { Range: range } } : {});
  } catch (error) {
    throw new SrsError(`cannot fetch ${url}: ${(error as Error).message}`, { url, range });
  }
  if (!response.ok) throw new SrsError(`${url} answered ${response.status}`, { url, range, status: response.status });
  return new Uint8Array(await response.arrayBuffer());
}
