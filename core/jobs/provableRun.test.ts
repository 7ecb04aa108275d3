import { describe, expect, it } from 'vitest';
import type { RunState } from '../ports/provingRun.js';
import { isProvable } from './provableRun.js';

describe('isProvable', () => {
  it('works the jobs of a run until its root is proven, and drops them after', () => {
    const states: RunState[] = ['planned', 'provisioning', 'proving', 'submitting', 'confirmed', 'settled', 'abandoned'];
    expect(states.filter((state) => isProvable({ state }))).toEqual(['planned', 'provisioning', 'proving']);
  });
});
