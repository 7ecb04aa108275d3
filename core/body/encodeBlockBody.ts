import { bytesToHex, hexToBytes, keccak256, type Hex } from 'viem';
import { BlockTooLargeError, InvalidBlockBodyError } from '../errors/index.js';
import { parseBlockBody, type BlockBody, type BlockBodyLimits, type BlockTx } from './blockBody.js';

/** Bytes per tx on the wire: a 32-byte hash, then the public-call count as a big-endian uint16. */
export const ENCODED_TX_BYTES = 34;

/** Encodes a body as the calldata a sequencer reveals on L1; the rollup contract hashes exactly these bytes. */
export function encodeBlockBody(body: BlockBody): Hex {
  return bytesToHex(encodeBlockBodyBytes(body));
}

/** The body's encoding as bytes (see `encodeBlockBody`). */
export function encodeBlockBodyBytes(body: BlockBody): Uint8Array {
  const bytes = new Uint8Array(body.txs.length * ENCODED_TX_BYTES);
  for (let i = 0; i < body.txs.length; i++) {
    const tx = body.txs[i]!;
    const offset = i * ENCODED_TX_BYTES;
    for (let b = 0; b < 32; b++) bytes[offset + b] = parseInt(tx.hash.slice(2 + 2 * b, 4 + 2 * b), 16);
    bytes[offset + 32] = (tx.publicCalls >>> 8) & 0xff;
    bytes[offset + 33] = tx.publicCalls & 0xff;
  }
  return bytes;
}

/** Decodes revealed calldata into a validated body; throws a named error on malformed bytes. */
export function decodeBlockBody(encoded: Hex, limits: BlockBodyLimits): BlockBody {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(encoded)) {
    throw new InvalidBlockBodyError('not a hex byte string', '', encoded.slice(0, 80));
  }
  return decodeBlockBodyBytes(hexToBytes(encoded), limits);
}

/** Decodes a body's encoding (see `encodeBlockBodyBytes`) into a validated body. */
export function decodeBlockBodyBytes(bytes: Uint8Array, limits: BlockBodyLimits): BlockBody {
  if (bytes.length % ENCODED_TX_BYTES !== 0) {
    throw new InvalidBlockBodyError(`length is not a multiple of ${ENCODED_TX_BYTES} bytes`, '', bytes.length);
  }
  if (bytes.length / ENCODED_TX_BYTES > limits.maxTxs) {
    throw new BlockTooLargeError(bytes.length / ENCODED_TX_BYTES, limits.maxTxs);
  }
  const txs: BlockTx[] = [];
  for (let offset = 0; offset < bytes.length; offset += ENCODED_TX_BYTES) {
    txs.push({
      hash: bytesToHex(bytes.subarray(offset, offset + 32)),
      publicCalls: (bytes[offset + 32]! << 8) | bytes[offset + 33]!,
    });
  }
  return parseBlockBody({ txs }, limits);
}

/** The hash a block body is committed to on L1: keccak256 of its encoding. */
export function blockBodyHash(body: BlockBody): Hex {
  return keccak256(encodeBlockBodyBytes(body));
}
