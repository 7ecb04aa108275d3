import type { BlockPlan } from '../../core/plan/blockPlan.js';
import { planPacing } from '../../core/scale/planPacing.js';
import { DEFAULT_TARGET_STRETCH, type ScalingSettings } from '../../core/scale/scalingSettings.js';
import { widthProfile } from '../../core/scale/widthProfile.js';
import { TIERS, type Tier } from '../../core/tiers.js';

/**
 * The fleet the previous block leaves up at t = 0 in the warm scenarios: what the scaler's own plan keeps busy
 * before agents asked for at t = 0 could arrive (one provisioning horizon), so warm saves exactly the launch
 * latency of the first wave. It is computed with the scaler's functions, as the scaler would have wanted it.
 */
export function warmFleetFor(plan: BlockPlan, settings: ScalingSettings, deadlineSeconds: number): Record<Tier, number> {
  const { pacing } = planPacing(widthProfile(plan), {
    elapsed: 0,
    timeLeft: deadlineSeconds,
    running: () => 0,
    settings: { ...settings, horizonSeconds: 0 },
    stretch: settings.targetStretch ?? DEFAULT_TARGET_STRETCH,
  });
  const reference = pacing.reference;
  return Object.fromEntries(TIERS.map((tier) => [tier, reference.peakBusy(tier, 0, settings.horizonSeconds)])) as Record<Tier, number>;
}
