import { keccakP } from '@noble/hashes/sha3';
import fc from 'fast-check';
import { bytesToHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { blockBodyHash } from '../body/encodeBlockBody.js';
import { syntheticBlockBody } from '../body/syntheticBlockBody.js';
import { BlockTooSmallError } from '../errors/index.js';
import { depsOf, jobIdAt, kindOf } from '../plan/jobAt.js';
import { planBlock } from '../plan/planBlock.js';
import { noirTree } from './noirTree.js';
import { noirTreeSpongeStates } from './noirTreeSponge.js';

const body = (txs: number, seed: string | number = 1) => syntheticBlockBody({ txs, publicCalls: { kind: 'fixed', calls: 2 }, seed });

/** What the root circuit does with the last sponge state (finish_keccak in circuits/noir-tree/lib). */
function finishKeccak(lanes: readonly string[], txs: number): `0x${string}` {
  const state = new Uint32Array(50);
  lanes.forEach((lane, i) => {
    const value = BigInt(lane);
    state[2 * i] = Number(value & 0xffff_ffffn);
    state[2 * i + 1] = Number(value >> 32n);
  });
  const bytes = new Uint8Array(state.buffer);
  bytes[(txs % 4) * 34]! ^= 0x01;
  bytes[135]! ^= 0x80;
  keccakP(state);
  return bytesToHex(bytes.subarray(0, 32));
}

describe('the noir-tree profile', () => {
  it('plans a tx proof per tx, the unpadded merge tree, and a root over the top two subtrees', () => {
    const two = planBlock(body(2), noirTree, { blockId: 'b' });
    expect(two.countsByKind).toEqual({ tx: 2, merge: 0, root: 1 });
    expect(Array.from(depsOf(two, two.rootIndex), (job) => jobIdAt(two, job))).toEqual(['b/tx/0', 'b/tx/1']);
    const seven = planBlock(body(7), noirTree, { blockId: 'b' });
    expect(seven.countsByKind).toEqual({ tx: 7, merge: 5, root: 1 });
    // Over 7 txs the root takes the merge of 4 and the merge of 3 (itself a merge of 2 and a lone tx).
    expect(Array.from(depsOf(seven, seven.rootIndex), (job) => jobIdAt(seven, job))).toEqual(['b/merge/1.0', 'b/merge/1.1']);
    const mergeOfThree = depsOf(seven, seven.rootIndex)[1]!;
    expect(Array.from(depsOf(seven, mergeOfThree), (job) => kindOf(seven, job))).toEqual(['merge', 'tx']);
  });

  it('refuses a one-tx block: the root needs two subtrees', () => {
    expect(() => planBlock(body(1), noirTree)).toThrow(BlockTooSmallError);
  });

  it('hands each prover what its circuit takes beyond the plan', () => {
    const plan = planBlock(body(5, 'inputs'), noirTree, { blockId: 'b' });
    const states = noirTreeSpongeStates(plan.body);
    const tx3 = noirTree.proverInputs!(plan, plan.txFirstJob[3]!);
    expect(tx3).toEqual({ publicCalls: 2, spongeBefore: states[3] });
    expect(states[3]).toHaveLength(25);
    const root = noirTree.proverInputs!(plan, plan.rootIndex);
    expect(root).toEqual({ childKinds: ['merge', 'tx'], txCount: 5, finalSponge: states[5] });
    const firstMerge = Array.from({ length: plan.size }, (_, i) => i).find((i) => kindOf(plan, i) === 'merge')!;
    expect(noirTree.proverInputs!(plan, firstMerge)).toEqual({ childKinds: ['tx', 'tx'] });
  });

  it("absorbs the body into a keccak sponge the root finishes into L1's body hash, for any length", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.string(), (txs, seed) => {
        const b = body(txs, seed);
        const states = noirTreeSpongeStates(b);
        expect(states).toHaveLength(txs + 1);
        expect(finishKeccak(states[txs]!, txs)).toBe(blockBodyHash(b));
      }),
      { numRuns: 40 },
    );
  });
});
