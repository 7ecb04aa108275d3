import { parseEther } from 'viem';
import type { ProtocolParameters } from '../../core/protocol/types.js';

/**
 * Devnet defaults. 12 s slots split evenly into proposal, reveal and commit phases (4 s each, several 1 s L1 blocks);
 * once a block is provable (reveal phase over, parent proven) the committed prover has it alone for 45 s, and anyone
 * may prove it until 120 s after that; escrow withdrawals wait 300 s (> 120 s). Blocks may carry up to 61,440 txs (the
 * largest block the planner takes); at most 32 blocks wait for proof at once (10 arrive within one deadline).
 * Rewards: 0.1 ETH a block + 0.00001 ETH a tx; 10% to the sequencer, the quoted fee (or 80% in the open race) to the
 * prover, the rest stays in the pool. A commitment bonds 0.5 ETH + 0.00001 ETH a tx (always more than the open-race
 * share, see docs/protocol-v2.md), a reveal 0.1 ETH of the sequencer's stake; forfeited bonds are burnt.
 */
export const DEVNET_PARAMETER_DEFAULTS: Omit<ProtocolParameters, 'genesisTime'> = {
  slotSeconds: 12,
  proposalSeconds: 4,
  revealSeconds: 4,
  commitSeconds: 4,
  exclusiveWindowSeconds: 45,
  provingDeadlineSeconds: 120,
  minSequencerStake: parseEther('1'),
  sequencerBlockBond: parseEther('0.1'),
  sequencerExitDelaySeconds: 120,
  escrowWithdrawalDelaySeconds: 300,
  maxTxsPerBlock: 61_440,
  maxPendingBlocks: 32,
  sequencerBps: 1_000,
  openRaceProverBps: 8_000,
  randomnessLagSlots: 2,
  minProverBond: parseEther('0.5'),
  proverBondPerTx: parseEther('0.00001'),
  blockReward: parseEther('0.1'),
  feePerTx: parseEther('0.00001'),
};

/** The devnet's parameters with slot 0 starting at `genesisTime`; any field can be overridden. */
export function devnetParameters(genesisTime: number, overrides: Partial<ProtocolParameters> = {}): ProtocolParameters {
  return { ...DEVNET_PARAMETER_DEFAULTS, genesisTime, ...overrides };
}
