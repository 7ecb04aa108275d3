import { sha256Hex } from '../artifacts/digest.js';
import type { BlockBody } from '../body/blockBody.js';
import { parseBlockBody } from '../body/blockBody.js';
import { encodeBlockBodyBytes } from '../body/encodeBlockBody.js';
import type { CircuitProfile } from '../profiles/circuitProfile.js';
import type { BlockPlan } from './blockPlan.js';
import { mergeTreeDepth, walkMergeTree } from './mergeTree.js';

export interface PlanBlockOptions {
  /** Names the block in job ids; defaults to `b` and 24 hex digits of the body's sha256. */
  readonly blockId?: string;
  /** Skip validation for a body `parseBlockBody` already accepted against the same profile. */
  readonly trusted?: boolean;
}

/** What a block id (and so a run id: runs are named by their plan's block) may be: ASCII, at most 64 characters. */
export const BLOCK_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Splits a block into its proof DAG under a circuit profile, with each job's critical-path priority. */
export function planBlock(body: BlockBody, profile: CircuitProfile, options: PlanBlockOptions = {}): BlockPlan {
  const valid = options.trusted ? body : parseBlockBody(body, profile);
  const blockId = options.blockId ?? defaultBlockId(valid);
  if (!BLOCK_ID.test(blockId)) throw new RangeError(`block id "${blockId}" must match ${String(BLOCK_ID)}`);

  const kinds = Object.keys(profile.kinds);
  const kindCode = new Map(kinds.map((kind, code) => [kind, code]));
  const expectedByCode = kinds.map((kind) => profile.kinds[kind]!.expectedSeconds);
  const kindCodes: number[] = [];
  const parents: number[] = [];
  const depOffsets: number[] = [0];
  const depList: number[] = [];
  const coordA: number[] = [];
  const coordB: number[] = [];
  const counts = new Array<number>(kinds.length).fill(0);

  const dag = {
    add(kind: string, deps: readonly number[], a = -1, b = -1): number {
      const code = kindCode.get(kind);
      if (code === undefined) throw new Error(`profile ${profile.name} added a job of undeclared kind "${kind}"`);
      const index = kindCodes.length;
      kindCodes.push(code);
      parents.push(-1);
      coordA.push(a);
      coordB.push(b);
      for (const dep of deps) {
        if (parents[dep] !== -1) throw new Error(`profile ${profile.name} gave job ${dep} a second parent`);
        parents[dep] = index;
        depList.push(dep);
      }
      depOffsets.push(depList.length);
      counts[code]!++;
      return index;
    },
  };

  const txFirstJob = new Int32Array(valid.txs.length);
  const top = walkMergeTree(valid.txs.length, {
    leaf: (txIndex) => {
      txFirstJob[txIndex] = kindCodes.length;
      return profile.planTx(valid.txs[txIndex]!, txIndex, dag);
    },
    merge: ([level, index], left, right) => dag.add(profile.mergeKind, [left, right], level, index),
  });
  const rootIndex = profile.planTop(top, dag);
  if (rootIndex !== kindCodes.length - 1) throw new Error(`profile ${profile.name} added jobs above its root`);

  // Children come before parents, so one backward pass gives every job its remaining path.
  const size = kindCodes.length;
  const expectedSeconds = new Float64Array(size);
  const remainingSeconds = new Float64Array(size);
  let criticalPathSeconds = 0;
  for (let i = size - 1; i >= 0; i--) {
    const parent = parents[i]!;
    if (parent === -1 && i !== rootIndex) throw new Error(`profile ${profile.name} left job ${i} without a parent`);
    expectedSeconds[i] = expectedByCode[kindCodes[i]!]!;
    remainingSeconds[i] = expectedSeconds[i]! + (parent === -1 ? 0 : remainingSeconds[parent]!);
    if (remainingSeconds[i]! > criticalPathSeconds) criticalPathSeconds = remainingSeconds[i]!;
  }

  return {
    blockId,
    profile,
    body: valid,
    size,
    kinds,
    kindCodes: Uint8Array.from(kindCodes),
    parents: Int32Array.from(parents),
    depOffsets: Int32Array.from(depOffsets),
    depList: Int32Array.from(depList),
    coordA: Int32Array.from(coordA),
    coordB: Int32Array.from(coordB),
    expectedSeconds,
    remainingSeconds,
    rootIndex,
    txFirstJob,
    countsByKind: Object.fromEntries(kinds.map((kind, code) => [kind, counts[code]!])),
    depth: mergeTreeDepth(valid.txs.length),
    // Durations like 44.5 and 16.3 add up with float noise; a millisecond is the precision that matters.
    criticalPathSeconds: Math.round(criticalPathSeconds * 1000) / 1000,
  };
}

/** The default block id: `b` and the first 24 hex digits of the sha256 of the body's encoding. */
export function defaultBlockId(body: BlockBody): string {
  const digest = sha256Hex(encodeBlockBodyBytes(body));
  return `b${digest.slice(0, 24)}`;
}
