import type { ProtocolParameters } from './types.js';

/** The L1 times of one slot. Every phase is half-open: [start, end). */
export interface SlotSchedule {
  readonly slot: bigint;
  readonly start: number;
  readonly revealStart: number;
  /** The reveal phase's end: the body is final; exclusive windows and deadlines count from here. */
  readonly commitStart: number;
  readonly commitEnd: number;
  /** When a committed prover's exclusive window ends (the open race starts then). */
  readonly exclusiveUntil: number;
  /** The last L1 timestamp at which a proof of the slot's block is accepted. */
  readonly provingDeadline: number;
}

/** Mirrors the contract's slot clock (contracts/src/rollup/SlotClock.sol). */
export function slotSchedule(parameters: ProtocolParameters, slot: bigint): SlotSchedule {
  const start = parameters.genesisTime + Number(slot) * parameters.slotSeconds;
  const revealStart = start + parameters.proposalSeconds;
  const commitStart = revealStart + parameters.revealSeconds;
  return {
    slot,
    start,
    revealStart,
    commitStart,
    commitEnd: commitStart + parameters.commitSeconds,
    exclusiveUntil: commitStart + parameters.exclusiveWindowSeconds,
    provingDeadline: commitStart + parameters.provingDeadlineSeconds,
  };
}

/** The slot L1 time `timestamp` falls in (slot 0 before genesis). */
export function slotAt(parameters: ProtocolParameters, timestamp: number): bigint {
  if (timestamp < parameters.genesisTime) return 0n;
  return BigInt(Math.floor((timestamp - parameters.genesisTime) / parameters.slotSeconds));
}

/** The block's total reward (block reward + fees) in wei. */
export function blockRewardWei(parameters: ProtocolParameters, txCount: number): bigint {
  return parameters.blockReward + parameters.feePerTx * BigInt(txCount);
}
