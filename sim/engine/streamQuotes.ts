import type { SignedQuoteDemand } from '../../core/ports/signedQuotes.js';
import {
  checkFleetCapacity,
  committedBlocks,
  DEFAULT_ASSUMED_LAUNCH_TOKENS,
  DEFAULT_FLEET_UTILISATION,
  standingAgents,
} from '../../core/quote/fleetCapacity.js';
import type { BlockPlan } from '../../core/plan/blockPlan.js';
import { criticalPathShape, type CriticalPathShape } from '../../core/scale/workWindow.js';
import type { Tier } from '../../core/tiers.js';
import { QUOTE_EVERY_BLOCK, type RevealedBlock, type StreamQuote } from './simulateStream.js';

/** The quotes a stream can run with, by name (a worker thread gets the name, not the function). */
export const STREAM_QUOTE_NAMES = ['every-block', 'capacity'] as const;
export type StreamQuoteName = (typeof STREAM_QUOTE_NAMES)[number];

/** The quote function a name stands for, and how the report names it. */
export function streamQuote(name: StreamQuoteName): { readonly quote: StreamQuote; readonly name: string } {
  switch (name) {
    case 'every-block':
      return { quote: QUOTE_EVERY_BLOCK, name: 'every block taken on (no capacity check)' };
    case 'capacity':
      return {
        quote: fleetCapacityQuote(DEFAULT_ASSUMED_LAUNCH_TOKENS),
        name:
          `capacity-aware (core checkFleetCapacity, utilisation ${DEFAULT_FLEET_UTILISATION}, the fleet up now plus EC2's launches ` +
          `with ${DEFAULT_ASSUMED_LAUNCH_TOKENS} tokens assumed in the bucket)`,
      };
  }
}

/**
 * The quote service's capacity rule at each reveal, as `quoteAnswerer` runs it: the block's work per tier, in the
 * windows its critical path leaves each tier, against the committed blocks — the live runs' remaining work the scaler
 * last published, and the blocks taken on since (their quotes are signed, their work not yet published: all of it
 * counts) — with the fleet the scaler last counted plus what EC2 can launch in time, under the quota
 * (`checkFleetCapacity`). `tokens` is what quoting assumes is left in EC2's launch bucket: it cannot read it.
 */
export function fleetCapacityQuote(tokens: number): StreamQuote {
  const shapes = new WeakMap<BlockPlan, CriticalPathShape>();
  const shapeOf = (plan: BlockPlan) => {
    let shape = shapes.get(plan);
    if (!shape) shapes.set(plan, (shape = criticalPathShape(plan)));
    return shape;
  };
  // A block taken on is signed for at once and its run starts at reveal: its quote binds until its deadline.
  const quoteOf = (block: RevealedBlock): SignedQuoteDemand => ({
    key: block.plan.blockId,
    startsAt: block.revealedAt,
    deadline: block.revealedAt + block.deadlineSeconds,
    validUntil: block.revealedAt + block.deadlineSeconds,
    workSeconds: workOf(block.plan),
    shape: shapeOf(block.plan),
  });
  return (block, context) => {
    const now = context.l1Seconds;
    const { validUntil: _, ...candidate } = quoteOf(block);
    const verdict = checkFleetCapacity(
      { ...candidate, startsAt: now, key: `block ${block.index}` },
      {
        quota: { agents: context.quotaAgents, utilisation: DEFAULT_FLEET_UTILISATION, launch: { rate: context.launchRate, tokens } },
        committed: committedBlocks(context.published, context.live.map(quoteOf), now),
        standing: standingAgents(context.published),
      },
      now,
    );
    return verdict.fits ? { quote: true } : { quote: false, why: verdict.refusal.message };
  };
}

/** A plan's expected job-seconds per tier. */
function workOf(plan: BlockPlan): Record<Tier, number> {
  const workSeconds = { heavy: 0, light: 0 } as Record<Tier, number>;
  for (const [kind, count] of Object.entries(plan.countsByKind)) {
    const spec = plan.profile.kinds[kind]!;
    workSeconds[spec.tier] += count * spec.expectedSeconds;
  }
  return workSeconds;
}
