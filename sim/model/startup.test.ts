import { describe, expect, it } from 'vitest';
import { meanOf } from './distribution.js';
import { DEFAULT_SIM_MODEL, type SimModel } from './model.js';
import { simLaunchRate } from './simLaunchRate.js';
import { meanStartup } from './startup.js';

describe('meanStartup', () => {
  it('splits the launch rate’s start-up at the token: Batch scheduling before, the rest after', () => {
    const startup = meanStartup(DEFAULT_SIM_MODEL);
    expect(startup.totalSeconds).toBe(simLaunchRate(DEFAULT_SIM_MODEL).startupSeconds);
    expect(startup.beforeTokenSeconds).toBe(meanOf(DEFAULT_SIM_MODEL.batch.schedulingSeconds));
    // Default model: 8·e^0.125 = 9.07 s of scheduling; 21 + 25.79 + 21.26 + 3.14 = 71.19 s after the token.
    expect(startup.beforeTokenSeconds).toBeCloseTo(9.065, 2);
    expect(startup.afterTokenSeconds).toBeCloseTo(71.19, 1);
  });

  it('bills boot, image pull and container start, not scheduling or pending', () => {
    const fixed = (value: number) => ({ kind: 'fixed', value }) as const;
    const model: SimModel = {
      ...DEFAULT_SIM_MODEL,
      batch: { ...DEFAULT_SIM_MODEL.batch, schedulingSeconds: fixed(1), containerStartSeconds: fixed(16) },
      ec2: { ...DEFAULT_SIM_MODEL.ec2, launchSeconds: fixed(2), bootSeconds: fixed(4), imagePullSeconds: fixed(8) },
    };
    expect(meanStartup(model)).toEqual({ beforeTokenSeconds: 1, afterTokenSeconds: 30, billedSeconds: 28, totalSeconds: 31 });
  });
});
