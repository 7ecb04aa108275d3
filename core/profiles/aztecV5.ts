import type { CircuitProfile } from './circuitProfile.js';

const PARITY_BASES = 4;

/**
 * Today's Aztec shape: a public tx needs an AVM proof and a client-proof verifier proof, then a public base; a
 * private tx needs a private base; tx merges lead to the block root, which also takes the parity root over four
 * parity bases (L1-to-L2 messages); the root rollup closes the epoch of one block. Durations are Aztec's
 * published test delays.
 */
export const aztecV5: CircuitProfile = {
  name: 'aztec-v5',
  description: 'Aztec (current): AVM + client-proof verifier, public/private base, tx merges, block root, parity',
  maxTxs: 61_440,
  maxPublicCallsPerTx: 64,
  mergeKind: 'tx-merge',
  kinds: {
    avm: { tier: 'heavy', expectedSeconds: 180, scope: 'tx', description: 'AVM proof of a public tx' },
    'client-verifier': {
      tier: 'light',
      expectedSeconds: 16.3,
      scope: 'tx',
      description: 'verifies the client (private) proof',
    },
    'public-base': { tier: 'light', expectedSeconds: 44.5, scope: 'tx', description: 'public base rollup' },
    'private-base': { tier: 'light', expectedSeconds: 22, scope: 'tx', description: 'private base rollup' },
    'tx-merge': { tier: 'light', expectedSeconds: 10, scope: 'tree', description: 'merge of two tx subtrees' },
    'parity-base': {
      tier: 'light',
      expectedSeconds: 15.3,
      scope: 'block',
      blockData: ['l1ToL2Messages'],
      description: 'parity base over a quarter of the L1-to-L2 messages',
    },
    'parity-root': { tier: 'light', expectedSeconds: 18.6, scope: 'block', description: 'parity root' },
    'block-root': {
      tier: 'light',
      expectedSeconds: 35,
      scope: 'block',
      blockData: ['stateRoots'],
      description: 'block root rollup',
    },
    root: {
      tier: 'light',
      expectedSeconds: 93,
      scope: 'block',
      blockData: ['stateRoots'],
      description: 'root rollup of an epoch of one block',
    },
  },
  planTx(tx, txIndex, dag) {
    if (tx.publicCalls === 0) return dag.add('private-base', [], txIndex);
    const avm = dag.add('avm', [], txIndex);
    const verifier = dag.add('client-verifier', [], txIndex);
    return dag.add('public-base', [avm, verifier], txIndex);
  },
  planTop(top, dag) {
    const parityBases = Array.from({ length: PARITY_BASES }, (_, i) => dag.add('parity-base', [], i));
    const parityRoot = dag.add('parity-root', parityBases);
    const blockRoot = dag.add('block-root', [...top, parityRoot]);
    return dag.add('root', [blockRoot]);
  },
};
