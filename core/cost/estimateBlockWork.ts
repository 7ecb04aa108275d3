import { syntheticBlockBody } from '../body/syntheticBlockBody.js';
import { planBlock } from '../plan/planBlock.js';
import type { CircuitProfile } from '../profiles/circuitProfile.js';
import { criticalPathShape, type CriticalPathShape } from '../scale/workWindow.js';
import type { Tier } from '../tiers.js';

export interface BlockWorkEstimate {
  readonly jobSeconds: Readonly<Record<Tier, number>>;
  readonly criticalPathSeconds: number;
  /** Where each tier's work sits on the critical path (expected seconds). */
  readonly shape: CriticalPathShape;
  readonly jobs: number;
}

/**
 * What proving a block of `txCount` txs making `publicCalls` public calls in all is expected to take, before its
 * body is known (a quote is priced from the reveal's counts): the calls are spread evenly over the txs.
 */
export function estimateBlockWork(profile: CircuitProfile, txCount: number, publicCalls: number): BlockWorkEstimate {
  const perTx = Math.floor(publicCalls / txCount);
  const extra = publicCalls - perTx * txCount;
  const body = syntheticBlockBody({ txs: txCount, publicCalls: { kind: 'fixed', calls: 0 }, seed: 'estimate' });
  const spread = { txs: body.txs.map((tx, i) => ({ ...tx, publicCalls: Math.min(profile.maxPublicCallsPerTx, perTx + (i < extra ? 1 : 0)) })) };
  const plan = planBlock(spread, profile, { blockId: 'estimate', trusted: true });
  const jobSeconds: Record<Tier, number> = { heavy: 0, light: 0 };
  for (const [kind, count] of Object.entries(plan.countsByKind)) {
    const spec = profile.kinds[kind]!;
    jobSeconds[spec.tier] += count * spec.expectedSeconds;
  }
  return { jobSeconds, criticalPathSeconds: plan.criticalPathSeconds, shape: criticalPathShape(plan), jobs: plan.size };
}
