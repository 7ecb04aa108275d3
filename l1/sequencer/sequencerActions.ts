import type { Address, Hex, TransactionReceipt } from 'viem';
import { rollupCallAbi } from '../rollup/rollupCallAbi.js';
import { confirmTransaction } from '../transactions/confirmTransaction.js';
import type { L1WalletClient } from '../transactions/l1Clients.js';

// A sequencer's writes to the rollup. Each waits for its transaction and throws TransactionRevertedError if it reverted;
// a call that would revert fails before sending, with the contract's error decoded by viem.

function rollupCall(client: L1WalletClient, rollup: Address) {
  return { address: rollup, abi: rollupCallAbi, account: client.account, chain: client.chain } as const;
}

/** Stakes `stake` wei; the total stake must reach minSequencerStake. */
export function registerSequencer(client: L1WalletClient, rollup: Address, stake: bigint): Promise<TransactionReceipt> {
  return confirmTransaction(
    client,
    'registerSequencer',
    client.writeContract({ ...rollupCall(client, rollup), functionName: 'registerSequencer', value: stake }),
  );
}

export function initiateSequencerExit(client: L1WalletClient, rollup: Address): Promise<TransactionReceipt> {
  return confirmTransaction(
    client,
    'initiateSequencerExit',
    client.writeContract({ ...rollupCall(client, rollup), functionName: 'initiateSequencerExit' }),
  );
}

export function withdrawSequencerStake(client: L1WalletClient, rollup: Address): Promise<TransactionReceipt> {
  return confirmTransaction(
    client,
    'withdrawSequencerStake',
    client.writeContract({ ...rollupCall(client, rollup), functionName: 'withdrawSequencerStake' }),
  );
}

export interface ProposeBlockParameters {
  readonly slot: bigint;
  /** Must be the rollup's pending tip. */
  readonly parentBlock: bigint;
  /** The body hash the parent block holds (zero for genesis): the proposal is void on any other parent body. */
  readonly parentBodyHash: Hex;
  readonly bodyHash: Hex;
}

export function proposeBlock(client: L1WalletClient, rollup: Address, proposal: ProposeBlockParameters): Promise<TransactionReceipt> {
  return confirmTransaction(
    client,
    'propose',
    client.writeContract({
      ...rollupCall(client, rollup),
      functionName: 'propose',
      args: [proposal.slot, proposal.parentBlock, proposal.parentBodyHash, proposal.bodyHash],
    }),
  );
}

/** Reveals the body (the encoded tx list, see core/body/encodeBlockBody.ts) of the caller's proposal for `slot`. */
export function revealBlock(client: L1WalletClient, rollup: Address, slot: bigint, body: Hex): Promise<TransactionReceipt> {
  return confirmTransaction(
    client,
    'reveal',
    client.writeContract({ ...rollupCall(client, rollup), functionName: 'reveal', args: [slot, body] }),
  );
}

export interface PruneMalformedParameters {
  readonly blockNumber: bigint;
  /** The block's revealed body. */
  readonly body: Hex;
  /** Where it is malformed (see core/body/findMalformation.ts). */
  readonly txIndex: number;
  readonly otherTxIndex: number;
}

/** Prunes a revealed block (and its descendants) at once by showing its body malformed; its sequencer's bond is burnt. */
export function pruneMalformedBlock(client: L1WalletClient, rollup: Address, proof: PruneMalformedParameters): Promise<TransactionReceipt> {
  return confirmTransaction(
    client,
    'pruneMalformed',
    client.writeContract({
      ...rollupCall(client, rollup),
      functionName: 'pruneMalformed',
      args: [proof.blockNumber, proof.body, BigInt(proof.txIndex), BigInt(proof.otherTxIndex)],
    }),
  );
}

/** Prunes the lowest unproven block past its deadline, with its descendants. */
export function pruneRollup(client: L1WalletClient, rollup: Address): Promise<TransactionReceipt> {
  return confirmTransaction(client, 'prune', client.writeContract({ ...rollupCall(client, rollup), functionName: 'prune' }));
}

/** Pays out the caller's credited rewards (as a sequencer or as a prover id). */
export function withdrawRewards(client: L1WalletClient, rollup: Address): Promise<TransactionReceipt> {
  return confirmTransaction(
    client,
    'withdrawRewards',
    client.writeContract({ ...rollupCall(client, rollup), functionName: 'withdrawRewards' }),
  );
}
