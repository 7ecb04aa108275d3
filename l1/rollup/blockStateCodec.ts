import type { ContractFunctionReturnType } from 'viem';
import type { rollupAbi } from '../../contracts/artifacts/rollup.js';
import type { RollupBlockState } from '../../core/ports/l1.js';

/** `Rollup.blockState` as viem returns it. */
export type ContractBlockState = ContractFunctionReturnType<typeof rollupAbi, 'view', 'blockState'>;

/** BlockStatus in the contract's enum order. */
const STATUSES = ['unknown', 'revealed', 'proven', 'pruned'] as const satisfies readonly RollupBlockState['status'][];

export function toRollupBlockState(blockNumber: bigint, state: ContractBlockState): RollupBlockState {
  return {
    blockNumber,
    status: STATUSES[state.status] ?? 'unknown',
    slot: state.slot,
    sequencer: state.sequencer,
    bodyHash: state.bodyHash,
    txCount: state.txCount,
    parentBlock: state.parentBlock,
    stateRoot: state.stateRoot,
    revealedAt: Number(state.revealedAt),
    provingDeadline: Number(state.provingDeadline),
    committedProver: state.committedProver,
    exclusiveUntil: Number(state.exclusiveUntil),
    provenBy: state.provenBy,
    proofSystemVersion: state.proofSystemVersion,
  };
}
