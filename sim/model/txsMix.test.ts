import { describe, expect, it } from 'vitest';
import { InvalidTxsMixError } from '../errors/index.js';
import { drawTxs, formatTxsMix, meanTxs, parseTxsMix } from './txsMix.js';

describe('the block-size mix', () => {
  it('reads one size or size:weight pairs, weights normalised', () => {
    expect(parseTxsMix('4096')).toEqual([{ txs: 4096, probability: 1 }]);
    const mix = parseTxsMix('1024:6, 4096:3,16384:1');
    expect(mix.map((entry) => entry.probability)).toEqual([0.6, 0.3, 0.1]);
    expect(meanTxs(mix)).toBeCloseTo(3481.6, 6);
    expect(formatTxsMix(mix)).toBe('1024:0.6,4096:0.3,16384:0.1');
  });

  it('draws sizes in proportion to their weights', () => {
    const mix = parseTxsMix('1:0.25,2:0.75');
    expect([0, 0.2, 0.25, 0.9, 0.999].map((u) => drawTxs(mix, () => u))).toEqual([1, 1, 2, 2, 2]);
  });

  it.each(['', '0', 'a:1', '16:0', '16:1,16:2', '16:1,x'])('refuses "%s" with a named error', (spec) => {
    expect(() => parseTxsMix(spec)).toThrow(InvalidTxsMixError);
  });
});
