import type { RollupChain } from '../../core/ports/l1.js';
import type { StateRootOracle } from '../../core/ports/stateRoots.js';
import { devnetStateRoots } from '../../core/protocol/devnetStateRoots.js';

/**
 * The state-root sources a deployment may name in STATE_ROOT_SOURCE; there is no default, so a deployment never
 * proves on a stand-in without saying so. `devnet-transition` is the only one today: the devnet's stand-in for
 * executing a block (`devnetNextStateRoot` over the last root proven on L1), right only for a rollup whose state
 * transition is that stand-in. A rollup node's roots (a real execution) would be a second source here.
 */
export const STATE_ROOT_SOURCES = ['devnet-transition'] as const;
export type StateRootSource = (typeof STATE_ROOT_SOURCES)[number];

/** The state-root oracle a Lambda wires for the configured source. */
export function stateRootOracle(source: StateRootSource, chain: RollupChain): StateRootOracle {
  switch (source) {
    case 'devnet-transition':
      return devnetStateRoots(chain);
  }
}
