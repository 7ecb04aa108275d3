import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bn254 } from '@noble/curves/bn254';
import { describe, expect, it } from 'vitest';
import { writePowersOfTwo } from './powersOfTwo.js';

describe('the development SRS points', () => {
  it('are 2^i·G in bb’s format, the same whichever range a worker starts at', () => {
    const directory = mkdtempSync(join(tmpdir(), 'pb-powers-'));
    try {
      const file = join(directory, 'g1.dat');
      writeFileSync(file, Buffer.alloc(40 * 64));
      writePowersOfTwo(file, 0, 25);
      writePowersOfTwo(file, 25, 15);
      const bytes = readFileSync(file);
      for (const i of [0, 1, 2, 24, 25, 39]) {
        const expected = bn254.G1.ProjectivePoint.BASE.multiply(2n ** BigInt(i)).toAffine();
        const word = (offset: number) => BigInt(`0x${bytes.subarray(offset, offset + 32).toString('hex')}`);
        expect([word(i * 64), word(i * 64 + 32)]).toEqual([expected.x, expected.y]);
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
