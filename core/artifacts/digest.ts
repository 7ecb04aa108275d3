import { createHash } from 'node:crypto';
import { InvalidDigestError } from '../errors/index.js';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The content address of some bytes: `sha256:<hex>`. */
export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Throws `InvalidDigestError` unless `digest` is a well-formed content address; returns its hex part. */
export function digestHex(digest: string): string {
  if (!DIGEST.test(digest)) throw new InvalidDigestError(digest);
  return digest.slice('sha256:'.length);
}
