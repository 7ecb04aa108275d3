import { describe, expect, it } from 'vitest';
import { decodeChildProof, encodeChildProof, toFields } from './proofArtifact.js';
import { MalformedProofArtifactError } from '../errors/proverErrors.js';

describe('noir-tree child proof artifacts', () => {
  it('carry the public inputs with the proof, and give them back as they went in', () => {
    const publicInputs = new Uint8Array(5 * 32).map((_, i) => i);
    const proof = new Uint8Array(410 * 32).map((_, i) => 255 - (i % 256));
    const decoded = decodeChildProof(encodeChildProof({ publicInputs, proof }));
    expect(decoded.publicInputs).toEqual(publicInputs);
    expect(decoded.proof).toEqual(proof);
    expect(toFields(decoded.publicInputs)[1]).toBe(`0x${Array.from({ length: 32 }, (_, i) => (32 + i).toString(16).padStart(2, '0')).join('')}`);
  });

  it('refuses bytes that are not one (a root proof, a truncated file)', () => {
    const good = encodeChildProof({ publicInputs: new Uint8Array(64), proof: new Uint8Array(128) });
    expect(() => decodeChildProof(good.subarray(0, 2))).toThrow(MalformedProofArtifactError);
    expect(() => decodeChildProof(good.subarray(0, 4 + 64))).toThrow(MalformedProofArtifactError);
    expect(() => decodeChildProof(new Uint8Array(9536))).toThrow(MalformedProofArtifactError);
  });
});
