import { describe, expect, it } from 'vitest';
import type { PublishedTarget } from '../ports/fleetTargets.js';
import { leaveDue } from './leaveCheck.js';

const NOW = 1_700_000_000_000;
const settings = { leaveGraceMs: 10_000 };
const target = (overrides: Partial<PublishedTarget>): PublishedTarget => ({
  agents: 4,
  observed: 6,
  leftAtCount: 0,
  leftBefore: 0,
  quotaAgents: 8,
  aboveSince: NOW - 40_000,
  work: [{ runId: 'run-a', deadline: 1_700_001_200, reason: 'committed', remainingSeconds: 600 }],
  publishedAt: NOW - 10_000,
  left: 0,
  ...overrides,
});

describe('leaveDue', () => {
  it('is due once the tier has run above its target for the grace and a later tick still says so, while a surplus is left', () => {
    expect(leaveDue(target({}), NOW, settings)).toBe(true);
    expect(leaveDue(target({ left: 1 }), NOW, settings)).toBe(true);
  });

  it('is not due within the grace', () => {
    expect(leaveDue(target({ aboveSince: NOW - 9_999 }), NOW, settings)).toBe(false);
  });

  it('is not due on a dip one tick published, however long ago: the next tick may raise it again', () => {
    expect(leaveDue(target({ aboveSince: NOW - 40_000, publishedAt: NOW - 40_000 }), NOW, settings)).toBe(false);
    expect(leaveDue(target({ aboveSince: NOW - 40_000, publishedAt: NOW - 39_999 }), NOW, settings)).toBe(true);
  });

  it('needs only the grace on a target for no live run (no tick follows it)', () => {
    const idle = target({ agents: 0, work: [], aboveSince: NOW - 10_000, publishedAt: NOW - 10_000 });
    expect(leaveDue(idle, NOW, settings)).toBe(true);
    expect(leaveDue({ ...idle, aboveSince: NOW - 9_999, publishedAt: NOW - 9_999 }, NOW, settings)).toBe(false);
  });

  it('is not due when the surplus has left (or may still be counted), the tier is not above, or there is no target', () => {
    expect(leaveDue(target({ left: 2 }), NOW, settings)).toBe(false);
    expect(leaveDue(target({ left: 2, leftAtCount: 2, leftBefore: 2 }), NOW, settings)).toBe(true);
    expect(leaveDue(target({ observed: 4, aboveSince: null }), NOW, settings)).toBe(false);
    expect(leaveDue(target({ aboveSince: null }), NOW, settings)).toBe(false);
    expect(leaveDue(null, NOW, settings)).toBe(false);
  });
});
