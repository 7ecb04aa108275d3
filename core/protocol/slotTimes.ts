import type { ProtocolParameters } from './types.js';

/** The L1 timestamps at which a slot's phases end. */
export function slotTimes(parameters: ProtocolParameters, slot: bigint) {
  const start = parameters.genesisTime + Number(slot) * parameters.slotSeconds;
  const proposalEnd = start + parameters.proposalSeconds;
  const revealEnd = proposalEnd + parameters.revealSeconds;
  const commitEnd = revealEnd + parameters.commitSeconds;
  return { start, proposalEnd, revealEnd, commitEnd, end: start + parameters.slotSeconds };
}

/** The block's total reward (block reward + fees) in wei. */
export function blockRewardWei(parameters: ProtocolParameters, txCount: number): bigint {
  return parameters.blockReward + parameters.feePerTx * BigInt(txCount);
}
