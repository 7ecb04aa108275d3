import { describe, expect, it } from 'vitest';
import { InvalidPublicCallSpecError } from '../errors/index.js';
import { seededRandom } from '../random/seededRandom.js';
import { parsePublicCallSpec, samplePublicCalls } from './publicCallSpec.js';
import { syntheticBlockBody } from './syntheticBlockBody.js';

describe('public-call specs', () => {
  it('reads a fixed count and a normalised distribution', () => {
    expect(parsePublicCallSpec('2')).toEqual({ kind: 'fixed', calls: 2 });
    expect(parsePublicCallSpec('0:1,4:3')).toEqual({
      kind: 'distribution',
      outcomes: [
        { calls: 0, weight: 0.25 },
        { calls: 4, weight: 0.75 },
      ],
    });
  });

  it.each(['', 'x', '1:', '1:a', '1:0', '1:0.5,1:0.5', '-1'])('refuses "%s"', (spec) => {
    expect(() => parsePublicCallSpec(spec)).toThrow(InvalidPublicCallSpecError);
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
