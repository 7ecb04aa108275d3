import type { Address, Bytes32 } from '../protocol/types.js';

/** What the watcher knows about a revealed block, folded from L1 events. */
export interface TrackedBlock {
  readonly blockNumber: bigint;
  readonly slot: bigint;
  readonly sequencer: Address;
  readonly bodyHash: Bytes32;
  /** The L1 block that carried the current reveal. */
  readonly revealedIn: Bytes32;
  readonly txCount: number;
  readonly parentBlock: bigint;
  readonly revealedAt: number;
  readonly provingDeadline: number;
  /** Zero address when nobody committed. */
  readonly committedProver: Address;
  readonly feeBps: number;
  readonly bond: bigint;
  readonly exclusiveUntil: number;
  readonly status: 'revealed' | 'proven' | 'pruned';
  /** Zero address until proven. */
  readonly provenBy: Address;
  /** The run we started for this block's current body, if any, and the reveal it was started for. */
  readonly runId: string;
  readonly startedFor: Bytes32 | '';
}
