import { depsOf, kindOf } from '../plan/jobAt.js';
import type { BlockPlan } from '../plan/blockPlan.js';
import type { CircuitProfile } from './circuitProfile.js';
import { noirTreeSpongeStates, type SpongeLanes } from './noirTreeSponge.js';

/**
 * Real recursive UltraHonk circuits (circuits/noir-tree), proven by Barretenberg: a tx proof per tx (its 34 body
 * bytes absorbed into the block's keccak sponge), merges that verify two subtrees and chain their sponge, and a root
 * that verifies the top node's two subtrees, finishes the body hash and derives the new state root. The expected
 * durations (tx 2 s, merge and root 40 s) are rough figures for this project's 2-core machine lightly loaded
 * (docs/real-proofs.md, Figures: a 2^21-gate merge took 20–55 s, a no-ZK root ~22 s); under load they stretch
 * several-fold (`npm run bench:proofs` measured medians of 13 / 188 / 178 s at load 7–13). `simulate --proof-times`
 * takes a benchmark's medians instead; more cores prove merges and the root faster.
 */
export const noirTree: CircuitProfile = {
  name: 'noir-tree',
  description: 'Real recursive UltraHonk proofs (Noir + Barretenberg): tx leaves, merges, a root verified on L1',
  maxTxs: 1_024,
  // The root consumes the top node's two subtrees: one tx has no second.
  minTxs: 2,
  maxPublicCallsPerTx: 64,
  mergeKind: 'merge',
  kinds: {
    tx: { tier: 'light', expectedSeconds: 2, scope: 'tx', description: 'absorbs one tx into the body sponge (2^17 gates)' },
    merge: {
      tier: 'heavy',
      expectedSeconds: 40,
      scope: 'tree',
      description: 'verifies two subtrees recursively and chains their sponge (2^21 gates)',
    },
    root: {
      tier: 'heavy',
      expectedSeconds: 40,
      scope: 'block',
      blockData: ['stateRoots'],
      description: 'verifies the top two subtrees, binds body hash, state roots and prover id (2^21 gates, EVM proof)',
    },
  },
  planTx(_tx, txIndex, dag) {
    return dag.add('tx', [], txIndex);
  },
  planTop(top, dag) {
    return dag.add('root', top);
  },
  proverInputs(plan, index) {
    const kind = kindOf(plan, index);
    if (kind === 'tx') {
      const txIndex = plan.coordA[index]!;
      return { publicCalls: plan.body.txs[txIndex]!.publicCalls, spongeBefore: spongeStatesOf(plan)[txIndex]! };
    }
    const childKinds = Array.from(depsOf(plan, index), (child) => kindOf(plan, child));
    if (kind === 'merge') return { childKinds };
    return { childKinds, txCount: plan.body.txs.length, finalSponge: spongeStatesOf(plan)[plan.body.txs.length]! };
  },
};

const spongeCache = new WeakMap<BlockPlan, SpongeLanes[]>();

/** Every tx's sponge state, computed once per plan (a permutation per four txs: microseconds). */
function spongeStatesOf(plan: BlockPlan): SpongeLanes[] {
  let states = spongeCache.get(plan);
  if (!states) {
    states = noirTreeSpongeStates(plan.body);
    spongeCache.set(plan, states);
  }
  return states;
}
