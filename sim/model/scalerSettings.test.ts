import { describe, expect, it } from 'vitest';
import { DEFAULT_SIM_MODEL, type SimModel } from './model.js';
import { provisioningSeconds } from './scalerSettings.js';

const fixed = (value: number) => ({ kind: 'fixed', value }) as const;

describe('provisioningSeconds', () => {
  it('adds every part of a fresh agent’s start-up, the container start included, and its plan build', () => {
    const model: SimModel = {
      ...DEFAULT_SIM_MODEL,
      batch: { ...DEFAULT_SIM_MODEL.batch, schedulingSeconds: fixed(1), containerStartSeconds: fixed(16) },
      ec2: { ...DEFAULT_SIM_MODEL.ec2, launchSeconds: fixed(2), bootSeconds: fixed(4), imagePullSeconds: fixed(8) },
      agent: { ...DEFAULT_SIM_MODEL.agent, planBuildSeconds: fixed(32) },
    };
    // 1 + 2 + 4 + 8 + 16 + 32: each part counted once, at any quantile.
    expect(provisioningSeconds(model, 0.01)).toBe(63);
    expect(provisioningSeconds(model, 0.75)).toBe(63);
  });
});
