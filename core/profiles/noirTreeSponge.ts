import { keccakP } from '@noble/hashes/sha3';
import type { BlockBody } from '../body/blockBody.js';
import { encodeBlockBodyBytes, ENCODED_TX_BYTES } from '../body/encodeBlockBody.js';

/** Keccak-256's rate: four encoded txs (34 bytes each) fill one block exactly. */
const RATE_BYTES = 136;

/** A keccak-f[1600] state as 25 little-endian 64-bit lanes, in decimal (how the Noir circuits take `[u64; 25]`). */
export type SpongeLanes = readonly string[];

/**
 * The keccak-256 sponge over a block's encoded body as the noir-tree circuits absorb it: entry i is the state before
 * tx i (tx i's bytes go at offset 34·(i mod 4) of the rate; the fourth completes a block and permutes), the last entry
 * the state after every tx, which the root pads and squeezes into the body hash L1 committed to.
 */
export function noirTreeSpongeStates(body: BlockBody): SpongeLanes[] {
  const encoded = encodeBlockBodyBytes(body);
  const state = new Uint32Array(50);
  const bytes = new Uint8Array(state.buffer);
  const states: SpongeLanes[] = [];
  for (let i = 0; i < body.txs.length; i++) {
    states.push(lanesOf(state));
    const offset = (i % 4) * ENCODED_TX_BYTES;
    for (let j = 0; j < ENCODED_TX_BYTES; j++) bytes[offset + j]! ^= encoded[i * ENCODED_TX_BYTES + j]!;
    if ((i % 4) * ENCODED_TX_BYTES + ENCODED_TX_BYTES === RATE_BYTES) keccakP(state);
  }
  states.push(lanesOf(state));
  return states;
}

function lanesOf(state: Uint32Array): SpongeLanes {
  // keccakP keeps each lane as two 32-bit words, low word first (little-endian hosts, as every supported one is).
  return Array.from({ length: 25 }, (_, lane) => ((BigInt(state[2 * lane + 1]!) << 32n) | BigInt(state[2 * lane]!)).toString());
}
