import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeCount, mergeTreeDepth, mergeTreeShape, walkMergeTree, type TreePosition } from './mergeTree.js';

/**
 * An independent statement of where leaf i sits: split n into its binary blocks, largest first. The blocks hang
 * off the tree's rightmost spine: block j's subtree is the left child at (j + 1, 2^(j+1) - 2), except the last
 * block, which is the spine's end at (j, 2^j - 1). Inside its subtree a block is balanced.
 */
function referenceLeafPositions(n: number): TreePosition[] {
  const blocks: number[] = [];
  for (let bit = 31; bit >= 0; bit--) if (n & (1 << bit)) blocks.push(bit);
  const positions: TreePosition[] = [];
  blocks.forEach((k, j) => {
    const last = j === blocks.length - 1;
    const [level, index] = last ? [j, 2 ** j - 1] : [j + 1, 2 ** (j + 1) - 2];
    for (let offset = 0; offset < 2 ** k; offset++) positions.push([level + k, index * 2 ** k + offset]);
  });
  return positions;
}

describe('the merge tree', () => {
  it.each([
    [1, [[0, 0]], []],
    [2, [[1, 0], [1, 1]], []],
    [3, [[2, 0], [2, 1], [1, 1]], [[1, 0]]],
    [5, [[3, 0], [3, 1], [3, 2], [3, 3], [1, 1]], [[2, 0], [2, 1], [1, 0]]],
    [6, [[3, 0], [3, 1], [3, 2], [3, 3], [2, 2], [2, 3]], [[2, 0], [2, 1], [1, 0], [1, 1]]],
    [7, [[3, 0], [3, 1], [3, 2], [3, 3], [3, 4], [3, 5], [2, 3]], [[2, 0], [2, 1], [1, 0], [2, 2], [1, 1]]],
  ])('places %i leaves without padding', (n, leaves, merges) => {
    const shape = mergeTreeShape(n);
    expect(shape.leaves).toEqual(leaves);
    expect(shape.merges).toEqual(merges);
  });

  it('refuses a tree of no leaves, a negative or a fractional count, naming the count', () => {
    for (const leaves of [0, -1, 2.5, Number.NaN]) {
      expect(() => mergeTreeShape(leaves)).toThrow(new RangeError(`a merge tree needs at least one leaf, got ${leaves}`));
    }
  });

  it('hands each leaf its own index, in leaf order, and each merge its two children', () => {
    const visited: string[] = [];
    const top = walkMergeTree<string>(5, {
      leaf: (i, [level, index]) => {
        visited.push(`leaf ${i}@${level}.${index}`);
        return `L${i}`;
      },
      merge: ([level, index], left, right) => `(${left}+${right})@${level}.${index}`,
    });
    expect(visited).toEqual(['leaf 0@3.0', 'leaf 1@3.1', 'leaf 2@3.2', 'leaf 3@3.3', 'leaf 4@1.1']);
    expect(top).toEqual(['((L0+L1)@2.0+(L2+L3)@2.1)@1.0', 'L4']);
    expect(walkMergeTree<string>(1, { leaf: (i) => `L${i}`, merge: () => 'never' })).toEqual(['L0']);
  });

  it('puts every leaf where the binary decomposition of n says, for n up to 2,048', () => {
    for (let n = 1; n <= 2048; n++) expect(mergeTreeShape(n).leaves, `n = ${n}`).toEqual(referenceLeafPositions(n));
  });

  it('has ceil(log2 n) levels and n - 2 merges', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70_000 }), (n) => {
        const shape = mergeTreeShape(n);
        expect(shape.merges).toHaveLength(mergeCount(n));
        expect(shape.merges).toHaveLength(Math.max(n - 2, 0));
        expect(Math.max(...shape.leaves.map(([level]) => level))).toBe(mergeTreeDepth(n));
        expect(mergeTreeDepth(n)).toBe(Math.ceil(Math.log2(n)));
      }),
      { numRuns: 60 },
    );
  });

  it('gives every node a parent at (level - 1, index / 2) that is a merge or the top node', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3000 }), (n) => {
        const shape = mergeTreeShape(n);
        const merges = new Set(shape.merges.map(([l, i]) => `${l}.${i}`));
        const children = new Map<string, number>();
        const orphans: string[] = [];
        for (const [level, index] of [...shape.leaves, ...shape.merges]) {
          const parent = level === 1 ? 'top' : `${level - 1}.${Math.floor(index / 2)}`;
          if (parent !== 'top' && !merges.has(parent)) orphans.push(`${level}.${index}`);
          children.set(parent, (children.get(parent) ?? 0) + 1);
        }
        // One expect per property (not one per node): thousands of expect calls per run made this test slow.
        expect(orphans).toEqual([]);
        expect([...children.entries()].filter(([, count]) => count !== 2)).toEqual([]);
        const all = [...shape.leaves, ...shape.merges].map(([l, i]) => `${l}.${i}`);
        expect(new Set(all).size).toBe(all.length);
      }),
      { numRuns: 100 },
    );
  });
});
