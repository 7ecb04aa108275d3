import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryHeap } from './binaryHeap.js';

describe('BinaryHeap', () => {
  it('pops in order for any pushes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), (values) => {
        const heap = new BinaryHeap<number>((a, b) => a < b);
        for (const value of values) heap.push(value);
        const popped: number[] = [];
        while (heap.size > 0) popped.push(heap.pop()!);
        expect(popped).toEqual([...values].sort((a, b) => a - b));
      }),
    );
  });

  it('returns undefined when empty', () => {
    const heap = new BinaryHeap<number>((a, b) => a < b);
    expect(heap.pop()).toBeUndefined();
    expect(heap.peek()).toBeUndefined();
  });
});
