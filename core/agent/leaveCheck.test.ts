import { describe, expect, it } from 'vitest';
import type { PublishedTarget } from '../ports/fleetTargets.js';
import { leaveDecision, leaveDue, packingWaitMs } from './leaveCheck.js';

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

describe('leaveDecision', () => {
  const packing = { leaveGraceMs: 10_000, packingDelayMs: 180_000 };
  // 60 observed, 48 wanted: an excess share of 0.2.
  const above = target({ agents: 48, observed: 60 });
  const decide = (occupancy: { fill: number; slots: number; rank: number } | null, dueSinceMs: number | null = null, at = NOW, of = above) =>
    leaveDecision({ target: of, occupancy, dueSinceMs, nowMs: at }, packing);

  it('claims at once on an instance whose occupancy times rank is below the excess share, every agent of it alike', () => {
    // A full instance of six ranked 0.19: 1 × 0.19 < 0.2; each of its agents reads the same fill and rank.
    expect(decide({ fill: 6, slots: 6, rank: 0.19 })).toEqual({ claim: true, dueSinceMs: NOW });
    // Half full, it qualifies up to rank 0.4.
    expect(decide({ fill: 3, slots: 6, rank: 0.39 }).claim).toBe(true);
    expect(decide({ fill: 3, slots: 6, rank: 0.4 }).claim).toBe(false);
    expect(decide({ fill: 6, slots: 6, rank: 0.2 }).claim).toBe(false);
  });

  it('otherwise waits packingDelayMs per other agent on its instance, counted from when the leave was first due', () => {
    const full = { fill: 6, slots: 6, rank: 0.9 };
    expect(decide(full)).toEqual({ claim: false, dueSinceMs: NOW });
    expect(decide(full, NOW - 899_999)).toEqual({ claim: false, dueSinceMs: NOW - 899_999 });
    expect(decide(full, NOW - 900_000)).toEqual({ claim: true, dueSinceMs: NOW - 900_000 });
    const two = { fill: 2, slots: 6, rank: 0.9 };
    expect(decide(two, NOW - 179_999).claim).toBe(false);
    expect(decide(two, NOW - 180_000).claim).toBe(true);
  });

  it('claims at once when alone on its instance, on an instance of one slot, or when it cannot tell its instance', () => {
    expect(decide({ fill: 1, slots: 6, rank: 0.99 }).claim).toBe(true);
    expect(decide({ fill: 1, slots: 1, rank: 0.99 }).claim).toBe(true);
    expect(decide(null)).toEqual({ claim: true, dueSinceMs: NOW });
  });

  it('claims nothing and forgets when the leave was due once none is due', () => {
    const alone = { fill: 1, slots: 6, rank: 0 };
    expect(decide(alone, NOW - 900_000, NOW, target({ agents: 60, observed: 60, aboveSince: null }))).toEqual({ claim: false, dueSinceMs: null });
    expect(decide(alone, null, NOW, target({ aboveSince: NOW - 9_999 }))).toEqual({ claim: false, dueSinceMs: null });
  });

  it('on a full fleet, chooses about the excess share of instances, whole', () => {
    // 1,000 full instances of six with evenly spread ranks: those ranked below the excess share leave whole.
    const chosen = Array.from({ length: 1_000 }, (_, i) => decide({ fill: 6, slots: 6, rank: (i + 0.5) / 1_000 }).claim).filter(Boolean);
    expect(chosen).toHaveLength(200);
  });
});

describe('packingWaitMs', () => {
  it('counts the other agents on the instance up to its slots, and nothing on an instance of one slot', () => {
    const settings = { packingDelayMs: 60_000 };
    expect(packingWaitMs({ fill: 4, slots: 6, rank: 0.5 }, settings)).toBe(180_000);
    expect(packingWaitMs({ fill: 40, slots: 6, rank: 0.5 }, settings)).toBe(300_000);
    expect(packingWaitMs({ fill: 1, slots: 24, rank: 0.5 }, settings)).toBe(0);
    expect(packingWaitMs({ fill: 3, slots: 1, rank: 0.5 }, settings)).toBe(0);
  });
});
