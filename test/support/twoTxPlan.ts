import { planBlock } from '../../core/plan/planBlock.js';
import { rfp2023 } from '../../core/profiles/rfp2023.js';

/**
 * A small plan whose schedule is easy to follow by hand (rfp-2023, 30 s a proof): tx 0 makes two public calls
 * (vm 0.0 ∥ vm 0.1 → kernel 0.0 → kernel 0.1 → base 0), tx 1 none (base 1); the root takes both bases. The VMs are
 * the heavy sources, base 1 the only light one. Unlimited agents: VMs and base 1 at 0 s, kernels at 30 and 60 s,
 * base 0 at 90 s, the root at 120 s; critical path 150 s.
 */
export const twoTxPlan = planBlock(
  {
    txs: [
      { hash: `0x${'01'.repeat(32)}`, publicCalls: 2 },
      { hash: `0x${'02'.repeat(32)}`, publicCalls: 0 },
    ],
  },
  rfp2023,
  { blockId: 'two', trusted: true },
);
