import { hexToBytes, type Hex } from 'viem';
import { encodeBlockBody, ENCODED_TX_BYTES } from '../../core/body/encodeBlockBody.js';
import type { PublicCallSpec } from '../../core/body/publicCallSpec.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';

/** The body a simulated sequencer proposes: synthetic txs, seeded by slot and sequencer so each differs. */
export function simulatedBody(slot: bigint, sequencer: string, txs: number, publicCalls: PublicCallSpec): Hex {
  return encodeBlockBody(syntheticBlockBody({ txs, publicCalls, seed: `slot ${slot} sequencer ${sequencer.toLowerCase()}` }));
}

/** Tx and public-call counts as a quote request states them, read from the raw encoding without validating it. */
export function bodyCounts(body: Hex): { txCount: number; publicCalls: number } {
  const bytes = hexToBytes(body);
  const txCount = Math.floor(bytes.length / ENCODED_TX_BYTES);
  let publicCalls = 0;
  for (let tx = 0; tx < txCount; tx++) {
    const offset = tx * ENCODED_TX_BYTES + 32;
    publicCalls += (bytes[offset]! << 8) | bytes[offset + 1]!;
  }
  return { txCount, publicCalls };
}
