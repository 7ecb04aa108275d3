import { seededRandom } from '../random/seededRandom.js';
import type { BlockBody, BlockTx } from './blockBody.js';
import { samplePublicCalls, type PublicCallSpec } from './publicCallSpec.js';

export interface SyntheticBlockBodyParameters {
  readonly txs: number;
  readonly publicCalls: PublicCallSpec;
  readonly seed: string | number;
}

/** Builds a deterministic block of made-up txs (for the CLI, the sequencer simulator and benchmarks). */
export function syntheticBlockBody({ txs, publicCalls, seed }: SyntheticBlockBodyParameters): BlockBody {
  const random = seededRandom(seed);
  const body: BlockTx[] = new Array<BlockTx>(txs);
  for (let i = 0; i < txs; i++) {
    body[i] = { hash: randomHash(random), publicCalls: samplePublicCalls(publicCalls, random) };
  }
  return { txs: body };
}

function randomHash(random: () => number): `0x${string}` {
  let hex = '0x';
  for (let word = 0; word < 8; word++) {
    hex += Math.floor(random() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
  }
  return hex as `0x${string}`;
}
