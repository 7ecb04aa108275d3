import { sha256 } from 'viem';
import { InvalidDigestError } from '../errors/index.js';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The sha256 of some bytes as 64 lower-case hex digits (viem's pure-JS sha256, @noble/hashes: no `node:` module). */
export function sha256Hex(bytes: Uint8Array): string {
  return sha256(bytes, 'hex').slice(2);
}

/** The content address of some bytes: `sha256:<hex>`. */
export function digestOf(bytes: Uint8Array): string {
  return `sha256:${sha256Hex(bytes)}`;
}

/** Throws `InvalidDigestError` unless `digest` is a well-formed content address; returns its hex part. */
export function digestHex(digest: string): string {
  if (!DIGEST.test(digest)) throw new InvalidDigestError(digest);
  return digest.slice('sha256:'.length);
}
