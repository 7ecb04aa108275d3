import type { BlockPlan } from '../plan/blockPlan.js';
import { TIERS, type Tier } from '../tiers.js';

/**
 * Where a tier's work sits on a block's critical path (wall seconds): how long the block runs before the tier's
 * first job can start (`head`), and how much of the path must still follow the tier's last job (`tail`). The heavy
 * tier's VM proofs are leaves, so its tail is the whole kernel + rollup tree above them.
 */
export interface CriticalPathShape {
  readonly criticalSeconds: number;
  readonly headSeconds: Readonly<Record<Tier, number>>;
  readonly tailSeconds: Readonly<Record<Tier, number>>;
}

/** A block whose shape is unknown: every tier's work may run from its start to its deadline. */
export const UNKNOWN_SHAPE: CriticalPathShape = { criticalSeconds: 0, headSeconds: { heavy: 0, light: 0 }, tailSeconds: { heavy: 0, light: 0 } };

/**
 * A plan's critical-path shape, in wall seconds (`scale` wall seconds per expected second): per tier, the earliest
 * any of its jobs can start, and the shortest path left after any of its jobs ends. A tier with no job has 0 for both.
 */
export function criticalPathShape(plan: BlockPlan, scale = 1): CriticalPathShape {
  const head: Record<Tier, number> = { heavy: Infinity, light: Infinity };
  const tail: Record<Tier, number> = { heavy: Infinity, light: Infinity };
  const tierOfCode = plan.kinds.map((kind) => plan.profile.kinds[kind]!.tier);
  for (let job = 0; job < plan.size; job++) {
    const tier = tierOfCode[plan.kindCodes[job]!]!;
    const remaining = plan.remainingSeconds[job]!;
    head[tier] = Math.min(head[tier], plan.criticalPathSeconds - remaining);
    tail[tier] = Math.min(tail[tier], remaining - plan.expectedSeconds[job]!);
  }
  const finite = (values: Record<Tier, number>) =>
    Object.fromEntries(TIERS.map((tier) => [tier, Number.isFinite(values[tier]) ? values[tier] : 0])) as Record<Tier, number>;
  return scaleShape({ criticalSeconds: plan.criticalPathSeconds, headSeconds: finite(head), tailSeconds: finite(tail) }, scale);
}

/** A shape in expected seconds turned into wall seconds (`scale` wall seconds per expected second). */
export function scaleShape(shape: CriticalPathShape, scale: number): CriticalPathShape {
  const times = (values: Readonly<Record<Tier, number>>) => Object.fromEntries(TIERS.map((tier) => [tier, values[tier] * scale])) as Record<Tier, number>;
  return { criticalSeconds: shape.criticalSeconds * scale, headSeconds: times(shape.headSeconds), tailSeconds: times(shape.tailSeconds) };
}

/**
 * The window (L1 or wall seconds, as `startsAt` and `deadline` are) in which a block's work in `tier` must run, once
 * it has run `elapsedSeconds` of its critical path: from its start plus the tier's head, to its deadline less what
 * must follow the tier's work — the tier's tail, and never less than half the remaining critical path, the margin the
 * scaler sizes every tier to (`sizeFleet`'s work window: deadline − remaining critical path ÷ 2). The one rule the
 * scaler and quoting share, so a quote never counts on time the scaler will not use.
 */
export function tierWorkWindow(
  shape: CriticalPathShape,
  tier: Tier,
  block: { readonly startsAt: number; readonly deadline: number },
  elapsedSeconds = 0,
): { readonly from: number; readonly until: number } {
  const remainingCritical = Math.max(0, shape.criticalSeconds - elapsedSeconds);
  const tail = Math.min(shape.tailSeconds[tier], remainingCritical);
  return {
    from: block.startsAt + Math.max(0, shape.headSeconds[tier] - elapsedSeconds),
    until: block.deadline - Math.max(tail, remainingCritical / 2),
  };
}
