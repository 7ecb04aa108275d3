import { parseEther } from 'viem';
import type { ProtocolParameters } from '../../core/protocol/types.js';

/**
 * Devnet defaults. 12 s slots split evenly into proposal, reveal and commit phases (4 s each, several 1 s L1 blocks);
 * the committed prover has the block alone for 45 s after the reveal phase, anyone may prove until 120 s after it;
 * escrow withdrawals wait 300 s (> 120 s). Blocks may carry up to 61,440 txs (the largest block the planner takes).
 * Rewards: 0.1 ETH a block + 0.00001 ETH a tx; 10% to the sequencer, the quoted fee (or 80% in the open race) to the
 * prover, the rest stays in the pool. Half of a slashed bond is burnt.
 */
export const DEVNET_PARAMETER_DEFAULTS: Omit<ProtocolParameters, 'genesisTime'> = {
  slotSeconds: 12,
  proposalSeconds: 4,
  revealSeconds: 4,
  commitSeconds: 4,
  exclusiveWindowSeconds: 45,
  provingDeadlineSeconds: 120,
  minSequencerStake: parseEther('1'),
  sequencerExitDelaySeconds: 120,
  minProverBond: parseEther('0.5'),
  escrowWithdrawalDelaySeconds: 300,
  maxTxsPerBlock: 61_440,
  blockReward: parseEther('0.1'),
  feePerTx: parseEther('0.00001'),
  sequencerBps: 1_000,
  openRaceProverBps: 8_000,
  slashBurnBps: 5_000,
  randomnessLagSlots: 2,
};

/** The devnet's parameters with slot 0 starting at `genesisTime`; any field can be overridden. */
export function devnetParameters(genesisTime: number, overrides: Partial<ProtocolParameters> = {}): ProtocolParameters {
  return { ...DEVNET_PARAMETER_DEFAULTS, genesisTime, ...overrides };
}
