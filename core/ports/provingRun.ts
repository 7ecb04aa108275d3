import type { Address, Bytes32 } from '../protocol/types.js';

/**
 * A block run's states, the same ones the Step Functions machine walks:
 * planned → provisioning → proving → submitting → confirmed → settled, or abandoned with a reason.
 */
export type RunState = 'planned' | 'provisioning' | 'proving' | 'submitting' | 'confirmed' | 'settled' | 'abandoned';

export const ACTIVE_RUN_STATES: readonly RunState[] = ['planned', 'provisioning', 'proving', 'submitting', 'confirmed'];

/** Why we are proving a block (see `decideToProve`). */
export type ProveReason = 'committed' | 'open-race' | 'prove-all';

/** Everything a block run needs, written once when the block is planned; then only its state moves. */
export interface ProvingRun {
  /** Names the run and prefixes its job ids: derived from the block number and body hash (`runIdFor`). */
  readonly runId: string;
  readonly blockNumber: bigint;
  readonly slot: bigint;
  readonly bodyHash: Bytes32;
  /** The L1 block that carried the reveal this run proves. */
  readonly revealedIn: Bytes32;
  /** Artifact digest of the body bytes, so agents can re-plan the block. */
  readonly bodyDigest: string;
  readonly profile: string;
  readonly txCount: number;
  readonly jobCount: number;
  readonly criticalPathSeconds: number;
  readonly parentBlock: bigint;
  readonly parentStateRoot: Bytes32;
  readonly newStateRoot: Bytes32;
  /** The prover id the root proof is bound to. */
  readonly proverId: Address;
  readonly reason: ProveReason;
  /**
   * L1 timestamps (seconds), as the block had them when the run was started or last checked: both move later when the
   * block's parent is proven after its reveal phase (`currentDeadline` brings them up to date).
   */
  readonly exclusiveUntil: number;
  readonly provingDeadline: number;
  readonly state: RunState;
  /** Why the run was abandoned or failed; empty otherwise. */
  readonly stateReason: string;
  /** Digest of the root proof once proven. */
  readonly rootDigest: string;
  /** The submitProof transaction once sent. */
  readonly l1TxHash: Bytes32 | '';
  /** Wall-clock milliseconds. */
  readonly createdAt: number;
  readonly provingStartedAt: number;
  readonly rootProvenAt: number;
  readonly updatedAt: number;
}

/** Fields a state transition may set. */
export type RunPatch = Partial<
  Pick<
    ProvingRun,
    | 'stateReason'
    | 'rootDigest'
    | 'l1TxHash'
    | 'provingStartedAt'
    | 'rootProvenAt'
    | 'newStateRoot'
    | 'revealedIn'
    | 'exclusiveUntil'
    | 'provingDeadline'
  >
>;
