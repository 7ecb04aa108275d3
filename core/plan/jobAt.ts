import type { BlockPlan, JobId, JobInputs, ProofJob } from './blockPlan.js';

/** The deps of job `index`, as plan indexes. */
export function depsOf(plan: BlockPlan, index: number): Int32Array {
  return plan.depList.subarray(plan.depOffsets[index], plan.depOffsets[index + 1]);
}

/** The kind name of job `index`. */
export function kindOf(plan: BlockPlan, index: number): string {
  return plan.kinds[plan.kindCodes[index]!]!;
}

/** The position of job `index` in its kind's scope: `tx.call`, `tx`, `level.index`, `index` or empty. */
export function positionOf(plan: BlockPlan, index: number): string {
  const a = plan.coordA[index]!;
  const b = plan.coordB[index]!;
  if (a === -1) return '';
  return b === -1 ? `${a}` : `${a}.${b}`;
}

/**
 * Ids spelled so far, per plan. A job's id is asked for again and again (its message, its parent's release and reads,
 * the stores' keys): one string per job spares spelling it anew, and the stores' maps hashing each fresh copy.
 */
const spelled = new WeakMap<BlockPlan, (JobId | undefined)[]>();

/** The id of job `index`. */
export function jobIdAt(plan: BlockPlan, index: number): JobId {
  if (!(index >= 0 && index < plan.size)) return spell(plan, index);
  let ids = spelled.get(plan);
  if (ids === undefined) {
    ids = new Array<JobId | undefined>(plan.size);
    spelled.set(plan, ids);
  }
  return (ids[index] ??= spell(plan, index));
}

function spell(plan: BlockPlan, index: number): JobId {
  const position = positionOf(plan, index);
  const kind = kindOf(plan, index);
  return position === '' ? `${plan.blockId}/${kind}` : `${plan.blockId}/${kind}/${position}`;
}

/** Job `index` as a self-contained record. */
export function jobAt(plan: BlockPlan, index: number): ProofJob {
  if (!Number.isInteger(index) || index < 0 || index >= plan.size) {
    throw new RangeError(`job index ${index} is outside plan ${plan.blockId} (size ${plan.size})`);
  }
  const kind = kindOf(plan, index);
  const spec = plan.profile.kinds[kind]!;
  const parent = plan.parents[index]!;
  return {
    id: jobIdAt(plan, index),
    index,
    blockId: plan.blockId,
    kind,
    tier: spec.tier,
    position: positionOf(plan, index),
    deps: Array.from(depsOf(plan, index), (dep) => jobIdAt(plan, dep)),
    parent: parent === -1 ? null : jobIdAt(plan, parent),
    expectedSeconds: plan.expectedSeconds[index]!,
    remainingSeconds: plan.remainingSeconds[index]!,
    inputs: inputsOf(plan, index, spec.scope, spec.blockData),
  };
}

function inputsOf(
  plan: BlockPlan,
  index: number,
  scope: string,
  blockData: JobInputs['blockData'],
): JobInputs {
  const a = plan.coordA[index]!;
  const b = plan.coordB[index]!;
  const data = blockData ? { blockData } : {};
  switch (scope) {
    case 'call':
      return { txIndex: a, txHash: plan.body.txs[a]!.hash, callIndex: b, ...data };
    case 'tx':
      return { txIndex: a, txHash: plan.body.txs[a]!.hash, ...data };
    case 'tree':
      return { level: a, index: b, ...data };
    default:
      return a === -1 ? data : { index: a, ...data };
  }
}

const lookupCache = new WeakMap<BlockPlan, Map<JobId, number>>();

/** The plan index of a job id, or -1 when the plan has no such job. */
export function jobIndexOf(plan: BlockPlan, id: JobId): number {
  if (!id.startsWith(`${plan.blockId}/`)) return -1;
  const [kind, position = ''] = id.slice(plan.blockId.length + 1).split('/');
  const scope = kind === undefined ? undefined : plan.profile.kinds[kind]?.scope;
  if (scope === 'call' || scope === 'tx') {
    // A tx's jobs are contiguous, so only that tx's few jobs are compared.
    const tx = Number(position.split('.')[0]);
    if (!Number.isInteger(tx) || tx < 0 || tx >= plan.txFirstJob.length) return -1;
    const end = tx + 1 < plan.txFirstJob.length ? plan.txFirstJob[tx + 1]! : plan.size;
    for (let i = plan.txFirstJob[tx]!; i < end; i++) if (jobIdAt(plan, i) === id) return i;
    return -1;
  }
  let lookup = lookupCache.get(plan);
  if (!lookup) {
    lookup = new Map();
    for (let i = 0; i < plan.size; i++) {
      const itsScope = plan.profile.kinds[kindOf(plan, i)]!.scope;
      if (itsScope === 'tree' || itsScope === 'block') lookup.set(jobIdAt(plan, i), i);
    }
    lookupCache.set(plan, lookup);
  }
  return lookup.get(id) ?? -1;
}
