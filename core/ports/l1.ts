import type { Address, Bytes32, HexBytes, ProtocolParameters, RootPublicInputs, SignedQuote } from '../protocol/types.js';

/** Where an event sits on L1; the block hash is what a reorg changes. */
export interface L1Position {
  readonly blockNumber: bigint;
  readonly blockHash: Bytes32;
  readonly txHash: Bytes32;
  readonly logIndex: number;
}

/** Rollup events as the orchestrator understands them. Every state change of the contract maps to one. */
export type RollupEvent =
  | {
      readonly type: 'BlockProposed';
      readonly slot: bigint;
      readonly sequencer: Address;
      readonly bodyHash: Bytes32;
      readonly parentBlock: bigint;
      readonly score: Bytes32;
      readonly at: L1Position;
    }
  | {
      /** The slot's winning body so far; a later, higher-scoring reveal in the same slot replaces it. */
      readonly type: 'BlockRevealed';
      readonly blockNumber: bigint;
      readonly slot: bigint;
      readonly sequencer: Address;
      readonly bodyHash: Bytes32;
      readonly txCount: number;
      /** The block this one builds on; its state root is the root proof's parent state root. */
      readonly parentBlock: bigint;
      /** L1 timestamp of the reveal. */
      readonly revealedAt: number;
      /** L1 timestamp by which the block must be proven, else it is pruned (moved by a late parent's proof). */
      readonly provingDeadline: number;
      /** The proof-system version the block's root proof must be made for. */
      readonly proofSystemVersion: number;
      readonly at: L1Position;
    }
  | {
      readonly type: 'ProverCommitted';
      readonly blockNumber: bigint;
      readonly proverId: Address;
      readonly feeBps: number;
      readonly bond: bigint;
      readonly exclusiveUntil: number;
      readonly at: L1Position;
    }
  | {
      readonly type: 'BlockProven';
      readonly blockNumber: bigint;
      readonly proverId: Address;
      readonly submitter: Address;
      readonly newStateRoot: Bytes32;
      readonly proverReward: bigint;
      readonly at: L1Position;
    }
  | {
      /** The block's parent was proven after the block's reveal phase: its window and deadline start again from then. */
      readonly type: 'ProvingClockRestarted';
      readonly blockNumber: bigint;
      readonly exclusiveUntil: number;
      readonly provingDeadline: number;
      readonly at: L1Position;
    }
  | { readonly type: 'BlockPruned'; readonly blockNumber: bigint; readonly at: L1Position }
  | {
      /** A committed prover's forfeited bond, burnt whole. */
      readonly type: 'BondSlashed';
      readonly blockNumber: bigint;
      readonly proverId: Address;
      readonly bond: bigint;
      readonly at: L1Position;
    };

export type RollupEventType = RollupEvent['type'];

/** A rollup block's state on L1 right now. */
export interface RollupBlockState {
  readonly blockNumber: bigint;
  readonly status: 'unknown' | 'revealed' | 'proven' | 'pruned';
  readonly slot: bigint;
  readonly sequencer: Address;
  readonly bodyHash: Bytes32;
  readonly txCount: number;
  readonly parentBlock: bigint;
  /** The state root after this block once it is proven, else zero. */
  readonly stateRoot: Bytes32;
  readonly revealedAt: number;
  /** The last L1 time a proof is accepted: one proving deadline from when the block became provable. */
  readonly provingDeadline: number;
  /** The committed prover, or the zero address when nobody committed. */
  readonly committedProver: Address;
  /** Until then only the committed prover may prove (the end of the commit phase while nobody committed). */
  readonly exclusiveUntil: number;
  /** The prover id the block was proven under, or the zero address. */
  readonly provenBy: Address;
  /** The proof-system version (verifier) the block's proof is checked with: the one current at its reveal. */
  readonly proofSystemVersion: number;
}

/**
 * Where the follower resumes: the next L1 block to read, and the recently read blocks with the events delivered
 * from them — the hashes detect a reorg, the events are what it retracts. Persist the whole object.
 */
export interface FollowCursor {
  readonly nextBlock: bigint;
  /** The last few blocks read, oldest first. */
  readonly recent: readonly { readonly number: bigint; readonly hash: Bytes32; readonly events?: readonly RollupEvent[] }[];
}

/** One step of following L1: canonical events to apply, and events from orphaned blocks to undo. */
export interface FollowStep {
  /** Events from blocks that fell out of the canonical chain, newest first; each was delivered before. */
  readonly retracted: readonly RollupEvent[];
  /** Newly confirmed canonical events, in chain order; never delivered before on this chain. */
  readonly events: readonly RollupEvent[];
  readonly cursor: FollowCursor;
}

/** Reads the rollup's L1 history `confirmations` blocks behind the head. */
export interface L1Follower {
  /** Reads from the cursor (or from `fromBlock` when there is none) up to head - confirmations. */
  follow(cursor: FollowCursor | null): Promise<FollowStep>;
}

export interface SubmitProofRequest {
  readonly publicInputs: RootPublicInputs;
  readonly proof: HexBytes;
  /** L1 timestamp after which there is no point landing the transaction; gas is bumped against it. */
  readonly deadline: number;
}

export interface L1Receipt {
  readonly txHash: Bytes32;
  readonly status: 'success' | 'reverted';
  readonly blockNumber: bigint;
  readonly gasUsed: bigint;
}

/** Reads and writes the rollup contract (a viem client on L1; the signer may live in KMS). */
export interface RollupChain {
  /** The account that signs our transactions (not necessarily the prover id). */
  readonly account: Address;
  readonly rollup: Address;
  readonly chainId: number;
  parameters(): Promise<ProtocolParameters>;
  /** The highest proven block and the highest revealed (pending) block. */
  tips(): Promise<{ readonly proven: bigint; readonly pending: bigint }>;
  blockState(blockNumber: bigint): Promise<RollupBlockState>;
  /** The revealed body bytes (the reveal transaction's calldata argument) of the block's current reveal. */
  revealedBody(blockNumber: bigint): Promise<HexBytes>;
  /** Latest L1 block timestamp, in seconds. */
  latestTimestamp(): Promise<number>;
  /** Sends `submitProof`; resolves with the tx hash once sent (not mined). */
  submitProof(request: SubmitProofRequest): Promise<Bytes32>;
  /**
   * Waits until the transaction has `confirmations` blocks on top of it. With a `deadline` (L1 timestamp), a
   * transaction left pending is re-sent with higher fees until then; the receipt may be the replacement's.
   */
  waitForReceipt(txHash: Bytes32, confirmations: number, options?: { readonly deadline?: number }): Promise<L1Receipt>;
  /** Commits a prover to a block with the prover's quote and the winning sequencer's countersignature. */
  commitProver(quote: SignedQuote, sequencerSignature: HexBytes): Promise<Bytes32>;
}
