import type { Bytes32 } from '../protocol/types.js';

/**
 * Where a root proof's parent and new state roots come from: a rollup node that executed the block in production,
 * the devnet's stand-in transition (`core/protocol/devnetStateRoots.ts`) on the devnet and in tests.
 */
export type StateRootOracle = (block: {
  readonly blockNumber: bigint;
  readonly parentBlock: bigint;
  readonly bodyHash: Bytes32;
}) => Promise<{ readonly parentStateRoot: Bytes32; readonly newStateRoot: Bytes32 }>;
