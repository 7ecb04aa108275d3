import type { BlockBodyLimits, BlockTx } from '../body/blockBody.js';
import type { BlockPlan } from '../plan/blockPlan.js';
import type { Tier } from '../tiers.js';

/**
 * Where a kind of job sits, which says what its two coordinates mean: `call` (tx, call), `tx` (tx), `tree`
 * (level, index) in the merge tree, `block` (index among its kind, or none).
 */
export type JobScope = 'call' | 'tx' | 'tree' | 'block';

/** Block-level data a prover must be handed besides its children's proofs. */
export type BlockData = 'stateRoots' | 'l1ToL2Messages';

/** What the planner knows about one kind of proof. */
export interface JobKindSpec {
  readonly tier: Tier;
  readonly expectedSeconds: number;
  readonly scope: JobScope;
  readonly blockData?: readonly BlockData[];
  readonly description: string;
}

/** Where the profile adds jobs; returns the new job's index so later jobs can depend on it. */
export interface DagBuilder {
  /** `a` and `b` are the job's coordinates in its kind's scope; -1 (the default) means none. */
  add(kind: string, deps: readonly number[], a?: number, b?: number): number;
}

/**
 * A circuit profile turns a block into proof jobs: the per-tx sub-DAG that ends in the tx's leaf proof, the
 * merge kind that pairs leaves, and the jobs above the merge tree that end in the root.
 */
export interface CircuitProfile {
  readonly name: string;
  readonly description: string;
  readonly maxTxs: number;
  /** Fewer txs cannot be proven under this profile. @default 1 */
  readonly minTxs?: number;
  readonly maxPublicCallsPerTx: number;
  readonly kinds: Readonly<Record<string, JobKindSpec>>;
  readonly mergeKind: string;
  /** Adds the jobs proving one tx; returns the job whose proof is that tx's leaf in the merge tree. */
  planTx(tx: BlockTx, txIndex: number, dag: DagBuilder): number;
  /** Adds the jobs above the merge tree; `top` holds the one or two proofs the top node consumes. */
  planTop(top: readonly number[], dag: DagBuilder): number;
  /**
   * What a prover of job `index` needs beyond the plan's generic inputs (a real circuit's witness data derived from
   * the body, the kinds of its children); pure and cheap, called once per proof.
   */
  proverInputs?(plan: BlockPlan, index: number): Readonly<Record<string, unknown>>;
}

/** The body limits a profile and a firm's own cap set together. */
export function bodyLimitsOf(profile: CircuitProfile, maxTxs: number = profile.maxTxs): BlockBodyLimits {
  return { maxTxs: Math.min(maxTxs, profile.maxTxs), minTxs: profile.minTxs ?? 1, maxPublicCallsPerTx: profile.maxPublicCallsPerTx };
}
