import { describe, expect, it } from 'vitest';
import { provingDeadlinePassed } from './provingDeadline.js';

describe('provingDeadlinePassed', () => {
  it('is true from the deadline on, for a run still waiting for its root', () => {
    expect(provingDeadlinePassed({ state: 'proving', provingDeadline: 100 }, 99)).toBe(false);
    expect(provingDeadlinePassed({ state: 'proving', provingDeadline: 100 }, 100)).toBe(true);
    expect(provingDeadlinePassed({ state: 'provisioning', provingDeadline: 100 }, 101)).toBe(true);
  });

  it('is false for a run that has its root or has ended, whatever the time', () => {
    for (const state of ['planned', 'submitting', 'confirmed', 'abandoned'] as const) {
      expect(provingDeadlinePassed({ state, provingDeadline: 100 }, 1_000)).toBe(false);
    }
  });
});
