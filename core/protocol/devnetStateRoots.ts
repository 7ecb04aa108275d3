import type { RollupChain } from '../ports/l1.js';
import type { StateRootOracle } from '../ports/stateRoots.js';
import type { Bytes32 } from './types.js';
import { devnetNextStateRoot } from './devnetStateTransition.js';

const ZERO_ROOT = `0x${'0'.repeat(64)}`;

/**
 * The devnet's state roots: walk back from the parent to the nearest proven block (its root is on L1) and apply
 * the devnet transition (`devnetNextStateRoot`) forward; unproven ancestors are fine, as with a real rollup node.
 */
export function devnetStateRoots(chain: RollupChain): StateRootOracle {
  const rootOf = async (blockNumber: bigint): Promise<Bytes32> => {
    const state = await chain.blockState(blockNumber);
    if (state.stateRoot !== ZERO_ROOT) return state.stateRoot;
    if (blockNumber === 0n) throw new Error('the genesis block has no state root on L1');
    return devnetNextStateRoot(await rootOf(state.parentBlock), state.bodyHash);
  };
  return async ({ parentBlock, bodyHash }) => {
    const parentStateRoot = await rootOf(parentBlock);
    return { parentStateRoot, newStateRoot: devnetNextStateRoot(parentStateRoot, bodyHash) };
  };
}
