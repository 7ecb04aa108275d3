import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { chmod, open, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { bn254 } from '@noble/curves/bn254';
import { SrsError } from '../../errors/proverErrors.js';
import { buildOnce } from '../buildOnce.js';
import { g2InPrecompileOrder, IGNITION_G2_FILE, NOIR_TREE_SRS_POINTS, type StructuredReferenceString } from './structuredReferenceString.js';

/**
 * The DEVELOPMENT SRS: τ = 2, so point i is 2^i·G. A known τ lets anyone forge a proof — this setup is as insecure
 * as Hardhat's published keys, on purpose, for the devnet, tests and CI, which cannot reach Aztec's CDN. It is made
 * by the project itself (no download, no native toolchain: each point is one doubling of the one before) and checked
 * against the digests below, which any machine reproduces.
 */
export const DEVELOPMENT_SRS = {
  tau: 2n,
  points: NOIR_TREE_SRS_POINTS,
  g1Sha256: '084b6e88a599c18dc68827b49cd63aeed6022eb80329f2250ed0a07879c74bbe',
} as const;

export interface DevelopmentSrsOptions {
  /** The cache root (see `defaultCacheDirectory`). */
  readonly cacheDirectory: string;
  /** The genuine bb; its development build (τ·G2 replaced) is made beside the SRS. */
  readonly bbBinary: string;
  /** Worker threads that generate points. @default the machine's available parallelism */
  readonly threads?: number;
}

/** Makes the development SRS once per machine (2^21 + 1 points, 128 MiB; see docs/real-proofs.md for the time) and checks its digest. */
export async function ensureDevelopmentSrs(options: DevelopmentSrsOptions): Promise<StructuredReferenceString> {
  const { points, g1Sha256: expected } = DEVELOPMENT_SRS;
  const directory = join(options.cacheDirectory, 'srs', `development-tau-2-${points}`);
  await buildOnce(directory, (temporary) => generate(temporary, points, options.threads ?? availableParallelism()));
  const g1Sha256 = await sha256File(join(directory, 'bn254_g1.dat'));
  if (g1Sha256 !== expected) {
    throw new SrsError(`development SRS at ${directory} has digest ${g1Sha256}, expected ${expected}; delete it to make it again`, {
      directory,
      g1Sha256,
      expected,
    });
  }
  const g2File = await readFile(join(directory, 'bn254_g2.dat'));
  return {
    kind: 'development',
    directory,
    points,
    g1Sha256,
    g2: g2InPrecompileOrder(g2File),
    verifierBinary: await developmentVerifierBinary(options.cacheDirectory, options.bbBinary, g2File),
  };
}

async function generate(directory: string, points: number, threads: number): Promise<void> {
  const g1 = join(directory, 'bn254_g1.dat');
  const handle = await open(g1, 'w');
  await handle.truncate(points * 64);
  await handle.close();
  const share = Math.ceil(points / threads);
  await Promise.all(
    Array.from({ length: threads }, async (_, i) => {
      const first = i * share;
      const count = Math.min(share, points - first);
      if (count <= 0) return;
      const worker = new Worker(new URL('./powersOfTwoWorker.js', import.meta.url), { workerData: { file: g1, first, count } });
      await new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        worker.once('exit', (code) => (code === 0 ? resolve() : reject(new SrsError(`SRS worker exited with ${code}`))));
      });
    }),
  );
  const g2 = bn254.G2.ProjectivePoint.BASE.multiply(DEVELOPMENT_SRS.tau).toAffine();
  const word = (value: bigint) => value.toString(16).padStart(64, '0');
  await writeFile(join(directory, 'bn254_g2.dat'), Buffer.from(word(g2.x.c0) + word(g2.x.c1) + word(g2.y.c0) + word(g2.y.c1), 'hex'));
}

/**
 * bb verifies against Ignition's τ·G2, compiled into it (the 128 bytes of Ignition's `bn254_g2.dat`, stored once in
 * the binary); it reads no G2 from its SRS directory. Its development build replaces those bytes with the development
 * τ·G2 — the same change the Solidity verifier gets — so proofs made with the development SRS verify in full.
 */
async function developmentVerifierBinary(cacheDirectory: string, bbBinary: string, g2File: Buffer): Promise<string> {
  const original = await readFile(bbBinary);
  const bbSha256 = createHash('sha256').update(original).digest('hex');
  const path = join(cacheDirectory, 'bb', `${bbSha256.slice(0, 16)}-development-g2-${createHash('sha256').update(g2File).digest('hex').slice(0, 16)}`, 'bb');
  if (existsSync(path)) return path;
  await buildOnce(join(path, '..'), async (temporary) => {
    const ignition = Buffer.from(IGNITION_G2_FILE, 'hex');
    const at = original.indexOf(ignition);
    if (at === -1 || original.indexOf(ignition, at + 1) !== -1) {
      throw new SrsError(`bb at ${bbBinary} does not hold Ignition's τ·G2 exactly once; cannot make its development build`, { bbBinary });
    }
    g2File.copy(original, at);
    await writeFile(join(temporary, 'bb'), original);
    await chmod(join(temporary, 'bb'), 0o755);
  });
  return path;
}

/** sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
