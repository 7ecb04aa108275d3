import { describe, expect, it } from 'vitest';
import { InvalidPublicCallSpecError } from '../errors/index.js';
import { seededRandom } from '../random/seededRandom.js';
import { parsePublicCallSpec, samplePublicCalls } from './publicCallSpec.js';
import { syntheticBlockBody } from './syntheticBlockBody.js';

describe('public-call specs', () => {
  it('reads a fixed count and a distribution whose probabilities add up to 1', () => {
    expect(parsePublicCallSpec('2')).toEqual({ kind: 'fixed', calls: 2 });
    expect(parsePublicCallSpec('0:0.25,4:0.75')).toEqual({
      kind: 'distribution',
      outcomes: [
        { calls: 0, probability: 0.25 },
        { calls: 4, probability: 0.75 },
      ],
    });
    // 0.1 + 0.2 + 0.7 is 0.9999999999999999 in binary: within the tolerance.
    expect(parsePublicCallSpec('0:0.1,1:0.2,2:0.7').kind).toBe('distribution');
  });

  it.each(['', 'x', '1:', '1:a', '1:0', '1:0.5,1:0.5', '-1'])('refuses "%s"', (spec) => {
    expect(() => parsePublicCallSpec(spec)).toThrow(InvalidPublicCallSpecError);
  });

  it.each([
    ['0:0.5,1:0.6', '1.1'],
    ['0:1,4:3', '4'],
    ['0:0.5,1:0.3', '0.8'],
    ['0:0.5,1:0.500000001', '1.000000001'],
  ])('refuses "%s", whose probabilities add up to %s', (spec, sum) => {
    expect(() => parsePublicCallSpec(spec)).toThrow(`the probabilities add up to ${sum}, not 1`);
  });

  it('samples close to the weights, and identically for the same seed', () => {
    const spec = parsePublicCallSpec('0:0.5,1:0.3,4:0.2');
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 20_000 }, () => samplePublicCalls(spec, random));
    };
    const draws = draw(7);
    expect(draw(7)).toEqual(draws);
    expect(draw(8)).not.toEqual(draws);
    const share = (calls: number) => draws.filter((value) => value === calls).length / draws.length;
    expect(share(0)).toBeCloseTo(0.5, 1);
    expect(share(1)).toBeCloseTo(0.3, 1);
    expect(share(4)).toBeCloseTo(0.2, 1);
  });

  it('builds the same synthetic block for the same seed, with unique tx hashes', () => {
    const make = (seed: string) => syntheticBlockBody({ txs: 500, publicCalls: { kind: 'fixed', calls: 1 }, seed });
    expect(make('s')).toEqual(make('s'));
    expect(new Set(make('s').txs.map((tx) => tx.hash)).size).toBe(500);
    expect(make('t').txs[0]!.hash).not.toBe(make('s').txs[0]!.hash);
  });
});
