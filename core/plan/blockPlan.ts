import type { BlockBody } from '../body/blockBody.js';
import type { BlockData, CircuitProfile } from '../profiles/circuitProfile.js';
import type { Tier } from '../tiers.js';

/** Content-derived id of a proof job: `<blockId>/<kind>` or `<blockId>/<kind>/<position>`. */
export type JobId = string;

/**
 * The proof DAG of one block, stored column-wise so a 61,440-tx block (368,639 jobs) costs a few megabytes.
 * Job i's fields live at index i of each column; `jobAt` turns one into a `ProofJob`. Jobs are in topological
 * order (children before parents) and the last one is the root.
 */
export interface BlockPlan {
  readonly blockId: string;
  readonly profile: CircuitProfile;
  readonly body: BlockBody;
  readonly size: number;
  /** Kind names; `kindCodes[i]` indexes this list. */
  readonly kinds: readonly string[];
  readonly kindCodes: Uint8Array;
  /** Parent (consumer) of each job, -1 for the root. */
  readonly parents: Int32Array;
  /** The deps of job i are `depList[depOffsets[i]]` up to `depList[depOffsets[i + 1]]`, in input order. */
  readonly depOffsets: Int32Array;
  readonly depList: Int32Array;
  /** Coordinates in the kind's scope (tx and call, or level and index); -1 when absent. */
  readonly coordA: Int32Array;
  readonly coordB: Int32Array;
  readonly expectedSeconds: Float64Array;
  /** Longest expected time from each job's start to the root proof: the scheduler's priority. */
  readonly remainingSeconds: Float64Array;
  readonly rootIndex: number;
  /** First job of each tx; a tx's jobs are contiguous. */
  readonly txFirstJob: Int32Array;
  readonly countsByKind: Readonly<Record<string, number>>;
  readonly depth: number;
  readonly criticalPathSeconds: number;
}

/** What a prover needs to know about one job besides its children's proofs. */
export interface JobInputs {
  readonly txIndex?: number;
  readonly txHash?: `0x${string}`;
  readonly callIndex?: number;
  readonly level?: number;
  readonly index?: number;
  readonly blockData?: readonly BlockData[];
}

/** One proof to produce. Each job but the root has exactly one parent, the job that consumes its proof. */
export interface ProofJob {
  readonly id: JobId;
  /** Index in the block plan. */
  readonly index: number;
  readonly blockId: string;
  readonly kind: string;
  readonly tier: Tier;
  readonly position: string;
  readonly deps: readonly JobId[];
  readonly parent: JobId | null;
  readonly expectedSeconds: number;
  readonly remainingSeconds: number;
  readonly inputs: JobInputs;
}
