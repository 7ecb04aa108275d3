import { checkFleetCapacity, committedDemand, DEFAULT_FLEET_UTILISATION } from '../../core/quote/fleetCapacity.js';
import type { Tier } from '../../core/tiers.js';
import { QUOTE_EVERY_BLOCK, type StreamQuote } from './simulateStream.js';

/** The quotes a stream can run with, by name (a worker thread gets the name, not the function). */
export const STREAM_QUOTE_NAMES = ['every-block', 'capacity'] as const;
export type StreamQuoteName = (typeof STREAM_QUOTE_NAMES)[number];

/** The quote function a name stands for, and how the report names it. */
export function streamQuote(name: StreamQuoteName): { readonly quote: StreamQuote; readonly name: string } {
  switch (name) {
    case 'every-block':
      return { quote: QUOTE_EVERY_BLOCK, name: 'every block taken on (no capacity check)' };
    case 'capacity':
      return { quote: QUOTE_FLEET_CAPACITY, name: `capacity-aware (core checkFleetCapacity, utilisation ${DEFAULT_FLEET_UTILISATION})` };
  }
}

/**
 * The quote service's capacity rule at each reveal, as `quoteAnswerer` runs it: the block's work per tier against the
 * live runs' remaining work the scaler last published, under the quota (`checkFleetCapacity`). The block's work is
 * its plan's expected job-seconds; its work can start at once (the fleet is up).
 */
export const QUOTE_FLEET_CAPACITY: StreamQuote = (block, context) => {
  const workSeconds = { heavy: 0, light: 0 } as Record<Tier, number>;
  for (const [kind, count] of Object.entries(block.plan.countsByKind)) {
    const spec = block.plan.profile.kinds[kind]!;
    workSeconds[spec.tier] += count * spec.expectedSeconds;
  }
  const now = context.l1Seconds;
  const candidate = { key: `block ${block.index}`, startsAt: now, deadline: now + block.deadlineSeconds, workSeconds };
  const verdict = checkFleetCapacity(
    candidate,
    committedDemand(context.published, now),
    { agents: context.quotaAgents, utilisation: DEFAULT_FLEET_UTILISATION },
    now,
  );
  return verdict.fits ? { quote: true } : { quote: false, why: verdict.refusal.message };
};
