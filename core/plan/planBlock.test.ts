import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BlockBody } from '../body/blockBody.js';
import { syntheticBlockBody } from '../body/syntheticBlockBody.js';
import { aztecV5 } from '../profiles/aztecV5.js';
import type { CircuitProfile } from '../profiles/circuitProfile.js';
import { rfp2023 } from '../profiles/rfp2023.js';
import type { BlockPlan } from './blockPlan.js';
import { depsOf, jobAt, jobIdAt, jobIndexOf, kindOf } from './jobAt.js';
import { planBlock } from './planBlock.js';

const fixed = (txs: number, calls: number, seed: string | number = 1) =>
  syntheticBlockBody({ txs, publicCalls: { kind: 'fixed', calls }, seed });

const bodyArbitrary = fc
  .array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 40 })
  .map((calls): BlockBody => ({
    txs: calls.map((publicCalls, i) => ({ hash: `0x${i.toString(16).padStart(64, '0')}`, publicCalls })),
  }));

const profileArbitrary = fc.constantFrom<CircuitProfile>(rfp2023, aztecV5);

/** Longest expected-duration path ending at each job, computed forwards from the deps (independent of the plan). */
function bruteForceCriticalPath(plan: BlockPlan): number {
  const memo = new Map<number, number>();
  const longestEndingAt = (job: number): number => {
    const known = memo.get(job);
    if (known !== undefined) return known;
    let longestDep = 0;
    for (const dep of depsOf(plan, job)) longestDep = Math.max(longestDep, longestEndingAt(dep));
    const value = longestDep + plan.expectedSeconds[job]!;
    memo.set(job, value);
    return value;
  };
  return longestEndingAt(plan.rootIndex);
}

describe('planBlock', () => {
  it('plans 61,440 txs with 2 public calls as 368,639 jobs on a 600 s critical path', () => {
    const plan = planBlock(fixed(61_440, 2), rfp2023);
    expect(plan.size).toBe(368_639);
    expect(plan.countsByKind).toEqual({ vm: 122_880, kernel: 122_880, base: 61_440, merge: 61_438, root: 1 });
    expect(plan.depth).toBe(16);
    expect(plan.criticalPathSeconds).toBe(600);
  });

  it('plans 1,024 txs with 2 public calls on a 420 s critical path', () => {
    expect(planBlock(fixed(1024, 2), rfp2023).criticalPathSeconds).toBe(420);
  });

  it('plans aztec-v5 public blocks through AVM, public base, merges, block root and root', () => {
    const plan = planBlock(fixed(1024, 1), aztecV5);
    expect(plan.criticalPathSeconds).toBe(180 + 44.5 + 9 * 10 + 35 + 93);
    expect(plan.countsByKind).toMatchObject({ avm: 1024, 'client-verifier': 1024, 'public-base': 1024 });
    expect(plan.countsByKind).toMatchObject({ 'tx-merge': 1022, 'parity-base': 4, 'parity-root': 1, 'block-root': 1 });
  });

  it.each([1, 2])('accepts a block of %i tx(s)', (n) => {
    const plan = planBlock(fixed(n, 1), rfp2023);
    const root = jobAt(plan, plan.rootIndex);
    expect(root.kind).toBe('root');
    expect(root.deps.map((id) => jobAt(plan, jobIndexOf(plan, id)).kind)).toEqual(Array(n).fill('base'));
  });

  it('chains kernels: kernel i consumes VM i and kernel i - 1, and the last kernel feeds the base', () => {
    const plan = planBlock(fixed(3, 4), rfp2023);
    for (let tx = 0; tx < 3; tx++) {
      for (let call = 0; call < 4; call++) {
        const kernel = jobAt(plan, jobIndexOf(plan, `${plan.blockId}/kernel/${tx}.${call}`));
        const expected = [`${plan.blockId}/vm/${tx}.${call}`];
        if (call > 0) expected.push(`${plan.blockId}/kernel/${tx}.${call - 1}`);
        expect(kernel.deps).toEqual(expected);
        expect(kernel.parent).toBe(call === 3 ? `${plan.blockId}/base/${tx}` : `${plan.blockId}/kernel/${tx}.${call + 1}`);
      }
    }
  });

  it('gives every job but the root one parent that consumes it, with deps planned before their parents', () => {
    fc.assert(
      fc.property(bodyArbitrary, profileArbitrary, (body, profile) => {
        const plan = planBlock(body, profile, { blockId: 'prop' });
        const consumers = new Array<number>(plan.size).fill(0);
        for (let job = 0; job < plan.size; job++) {
          for (const dep of depsOf(plan, job)) {
            expect(dep).toBeLessThan(job);
            expect(plan.parents[dep]).toBe(job);
            consumers[dep]!++;
          }
        }
        for (let job = 0; job < plan.size; job++) expect(consumers[job]).toBe(job === plan.rootIndex ? 0 : 1);
        expect(plan.rootIndex).toBe(plan.size - 1);
      }),
    );
  });

  it('routes every proof of every tx to the root exactly once', () => {
    fc.assert(
      fc.property(bodyArbitrary, profileArbitrary, (body, profile) => {
        const plan = planBlock(body, profile, { blockId: 'prop' });
        const reached = new Map<number, number>();
        for (let job = 0; job < plan.size; job++) {
          let at = job;
          let steps = 0;
          while (plan.parents[at] !== -1) {
            at = plan.parents[at]!;
            if (++steps > plan.size) throw new Error('cycle');
          }
          reached.set(at, (reached.get(at) ?? 0) + 1);
        }
        expect([...reached.entries()]).toEqual([[plan.rootIndex, plan.size]]);
        const txJobs = new Array<number>(body.txs.length).fill(0);
        for (let job = 0; job < plan.size; job++) {
          const scope = profile.kinds[kindOf(plan, job)]!.scope;
          if (scope === 'call' || scope === 'tx') txJobs[plan.coordA[job]!]!++;
        }
        body.txs.forEach((tx, i) => {
          const perTx = profile === rfp2023 ? 2 * tx.publicCalls + 1 : tx.publicCalls > 0 ? 3 : 1;
          expect(txJobs[i]).toBe(perTx);
        });
        expect(plan.countsByKind[profile.mergeKind]).toBe(Math.max(body.txs.length - 2, 0));
      }),
    );
  });

  it('computes the critical path and every priority exactly as a brute-force longest path does', () => {
    fc.assert(
      fc.property(bodyArbitrary, profileArbitrary, (body, profile) => {
        const plan = planBlock(body, profile, { blockId: 'prop' });
        expect(plan.criticalPathSeconds).toBeCloseTo(bruteForceCriticalPath(plan), 6);
        for (let job = 0; job < plan.size; job++) {
          let sum = 0;
          for (let at = job; at !== -1; at = plan.parents[at]!) sum += plan.expectedSeconds[at]!;
          expect(plan.remainingSeconds[job]).toBeCloseTo(sum, 6);
        }
      }),
    );
  });

  it('gives the same ids on every run, distinct ids within a block, and none shared across blocks', () => {
    const ids = (plan: BlockPlan) => Array.from({ length: plan.size }, (_, i) => jobIdAt(plan, i));
    const first = ids(planBlock(fixed(50, 2, 'a'), rfp2023));
    expect(ids(planBlock(fixed(50, 2, 'a'), rfp2023))).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    const other = new Set(ids(planBlock(fixed(50, 2, 'b'), rfp2023)));
    expect(first.filter((id) => other.has(id))).toEqual([]);
  });

  it('finds every job by its id, and no job for an id from another block', () => {
    const plan = planBlock(fixed(20, 2), aztecV5);
    for (let i = 0; i < plan.size; i++) expect(jobIndexOf(plan, jobIdAt(plan, i))).toBe(i);
    expect(jobIndexOf(plan, 'bother/root')).toBe(-1);
    expect(jobIndexOf(plan, `${plan.blockId}/avm/999`)).toBe(-1);
  });

  it('refuses a block id that cannot be used as a key', () => {
    expect(() => planBlock(fixed(2, 0), rfp2023, { blockId: 'a/b' })).toThrow(RangeError);
  });
});
