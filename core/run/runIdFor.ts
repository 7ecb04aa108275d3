import type { Bytes32 } from '../protocol/types.js';

/**
 * A run's id from its block: the same body revealed again for the same block number (after a reorg) gets the same
 * id, so its finished proofs are reused; any other body gets another id.
 */
export function runIdFor(blockNumber: bigint, bodyHash: Bytes32): string {
  return `b${blockNumber}-${bodyHash.slice(2, 18)}`;
}
