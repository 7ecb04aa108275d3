import { describe, expect, it } from 'vitest';
import { InvalidDigestError } from '../errors/index.js';
import { digestHex, digestOf, sha256Hex } from './digest.js';

describe('digestOf', () => {
  it('is the sha256 content address (FIPS 180-2 test vector for "abc")', () => {
    const abc = new TextEncoder().encode('abc');
    expect(sha256Hex(abc)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(digestOf(abc)).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('refuses a malformed digest by name', () => {
    expect(digestHex(digestOf(new Uint8Array()))).toHaveLength(64);
    expect(() => digestHex('sha256:xyz')).toThrow(InvalidDigestError);
  });
});
