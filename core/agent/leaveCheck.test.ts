import { describe, expect, it } from 'vitest';
import type { PublishedTarget } from '../ports/fleetTargets.js';
import { leaveDue } from './leaveCheck.js';

const NOW = 1_700_000_000_000;
const settings = { leaveGraceMs: 10_000 };
const target = (overrides: Partial<PublishedTarget>): PublishedTarget => ({
  agents: 4,
  observed: 6,
  quotaAgents: 8,
  aboveSince: NOW - 10_000,
  work: [],
  publishedAt: NOW,
  leaving: 0,
  ...overrides,
});

describe('leaveDue', () => {
  it('is due once the tier has run above its target for the grace, while a surplus is left', () => {
    expect(leaveDue(target({}), NOW, settings)).toBe(true);
    expect(leaveDue(target({ leaving: 1 }), NOW, settings)).toBe(true);
  });

  it('is not due within the grace', () => {
    expect(leaveDue(target({ aboveSince: NOW - 9_999 }), NOW, settings)).toBe(false);
  });

  it('is not due when the surplus has left, the tier is not above, or there is no target', () => {
    expect(leaveDue(target({ leaving: 2 }), NOW, settings)).toBe(false);
    expect(leaveDue(target({ observed: 4, aboveSince: null }), NOW, settings)).toBe(false);
    expect(leaveDue(target({ aboveSince: null }), NOW, settings)).toBe(false);
    expect(leaveDue(null, NOW, settings)).toBe(false);
  });
});
