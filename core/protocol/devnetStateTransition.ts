import { encodeAbiParameters, keccak256 } from 'viem';
import type { Bytes32 } from './types.js';

/**
 * The devnet's stand-in for executing a block: the new state root is keccak(parentStateRoot, bodyHash). A real
 * rollup derives it by executing the txs; the root proof's public inputs carry it either way.
 */
export function devnetNextStateRoot(parentStateRoot: Bytes32, bodyHash: Bytes32): Bytes32 {
  return keccak256(
    encodeAbiParameters([{ type: 'bytes32' }, { type: 'bytes32' }], [parentStateRoot, bodyHash]),
  );
}

/** The state root of the devnet's genesis block. */
export const DEVNET_GENESIS_STATE_ROOT: Bytes32 = keccak256(new TextEncoder().encode('prover-burst devnet genesis'));
