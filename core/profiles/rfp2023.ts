import type { CircuitProfile } from './circuitProfile.js';

const PROOF_SECONDS = 30;

/**
 * The RFP's shape: a tx with N public calls needs N VM proofs (parallel) and N public-kernel proofs (a chain:
 * kernel i needs VM i and kernel i-1); every tx then gets a base rollup, merged pairwise up to the root.
 */
export const rfp2023: CircuitProfile = {
  name: 'rfp-2023',
  description: 'Aztec prover-coordination RFP (2023): VM and kernel chain per public call, base/merge/root rollups',
  maxTxs: 61_440,
  maxPublicCallsPerTx: 64,
  mergeKind: 'merge',
  kinds: {
    vm: { tier: 'heavy', expectedSeconds: PROOF_SECONDS, scope: 'call', description: 'public VM proof of one call' },
    kernel: { tier: 'light', expectedSeconds: PROOF_SECONDS, scope: 'call', description: 'public kernel iteration' },
    base: { tier: 'light', expectedSeconds: PROOF_SECONDS, scope: 'tx', description: 'base rollup of one tx' },
    merge: { tier: 'light', expectedSeconds: PROOF_SECONDS, scope: 'tree', description: 'merge rollup of two subtrees' },
    root: {
      tier: 'light',
      expectedSeconds: PROOF_SECONDS,
      scope: 'block',
      blockData: ['stateRoots'],
      description: 'root rollup, binds the parent and new state roots',
    },
  },
  planTx(tx, txIndex, dag) {
    let previousKernel = -1;
    for (let call = 0; call < tx.publicCalls; call++) {
      const vm = dag.add('vm', [], txIndex, call);
      previousKernel = dag.add('kernel', previousKernel === -1 ? [vm] : [vm, previousKernel], txIndex, call);
    }
    return dag.add('base', previousKernel === -1 ? [] : [previousKernel], txIndex);
  },
  planTop(top, dag) {
    return dag.add('root', top);
  },
};
