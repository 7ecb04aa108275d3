import { describe, expect, it } from 'vitest';
import { countAtOrBelow } from './countAtOrBelow.js';

describe('countAtOrBelow', () => {
  it('counts the values at or below a bound in an ascending array', () => {
    const sorted = Float64Array.from([1, 2, 2, 3, 7]);
    expect([0, 1, 1.5, 2, 2.5, 3, 6.9, 7, 100].map((value) => countAtOrBelow(sorted, value))).toEqual([0, 1, 1, 3, 3, 4, 4, 5, 5]);
    expect(countAtOrBelow(new Float64Array(0), 5)).toBe(0);
  });
});
