import type { Address, Bytes32 } from '../protocol/types.js';
import type { ProveReason } from './provingRun.js';

/** What the watcher knows about a block it decided to prove; the run's first state plans it. */
export interface BlockRunRequest {
  /** `runIdFor(blockNumber, bodyHash)`: a second start for the same revealed body is a no-op. */
  readonly runId: string;
  readonly blockNumber: bigint;
  readonly slot: bigint;
  readonly bodyHash: Bytes32;
  /** The L1 block that carried the reveal: a re-reveal after a reorg is a new start (which revives the run). */
  readonly revealedIn: Bytes32;
  readonly txCount: number;
  readonly parentBlock: bigint;
  /** L1 timestamps (seconds). */
  readonly revealedAt: number;
  readonly provingDeadline: number;
  readonly exclusiveUntil: number;
  /** The committed prover, or the zero address. */
  readonly committedProver: Address;
  readonly reason: ProveReason;
}

/** Starts block runs and signals them (Step Functions on AWS, in-process locally). */
export interface BlockRunDriver {
  /**
   * Starts a run; a second start for the same reveal is a no-op that returns false. A start for a run abandoned
   * because its reveal was orphaned, with the same body revealed again, revives it with its finished proofs.
   */
  start(request: BlockRunRequest): Promise<boolean>;
  /** The root proof exists: the waiting run may go on to submission. */
  rootProven(runId: string, rootDigest: string): Promise<void>;
  /** The run cannot finish (a job failed for good, its block was reorged out): it takes its abandon path. */
  fail(runId: string, reason: string): Promise<void>;
}
