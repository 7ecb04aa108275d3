import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { planBlock } from '../../core/plan/planBlock.js';
import { rfp2023 } from '../../core/profiles/rfp2023.js';
import type { ScalingSettings } from '../../core/scale/scalingSettings.js';

/** The scaler's unit tests' block: 1,024 txs with two public calls — 2,048 VMs (heavy), 4,095 light jobs, critical path 420 s. */
export const scalingPlan = planBlock(syntheticBlockBody({ txs: 1_024, publicCalls: { kind: 'fixed', calls: 2 }, seed: 'scale' }), rfp2023, {
  blockId: 'b1',
  trusted: true,
});

/** Wall milliseconds at which the scaler's unit tests start proving. */
export const SCALING_T0 = 1_700_000_000_000;

/** Cloud-like scaling settings with a quota that never binds (tests lower it where they mean to). */
export const scalingSettings: ScalingSettings = {
  minAgents: { heavy: 0, light: 0 },
  maxAgents: { heavy: 10_000, light: 10_000 },
  horizonSeconds: 80,
  urgentSlackSeconds: 120,
  secondsPerExpectedSecond: 1,
  targetStretch: 1.08,
  stragglerSeconds: 90,
};
