import type { Address } from 'viem';
import { rollupAbi } from '../../contracts/artifacts/rollup.js';
import type { SequencerStakes } from '../../core/ports/quoteRequests.js';
import type { L1PublicClient } from '../transactions/l1Clients.js';

/** SequencerStakes read from the rollup on L1 (Rollup.isActiveSequencer, at the latest block). */
export function createSequencerStakes(publicClient: L1PublicClient, rollup: Address): SequencerStakes {
  return {
    isActiveSequencer: (sequencer) => publicClient.readContract({ address: rollup, abi: rollupAbi, functionName: 'isActiveSequencer', args: [sequencer] }),
  };
}
