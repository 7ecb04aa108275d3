import { describe, expect, it } from 'vitest';
import type { PublishedTarget } from '../ports/fleetTargets.js';
import type { InstanceOccupancy } from '../ports/instancePresence.js';
import { leaveDecision, leaveDue, packingWaitMs, type LeaveSpell } from './leaveCheck.js';

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
  // 60 counted, 48 wanted: a fifth of the spell's peak is no longer wanted.
  const above = target({ agents: 48, observed: 60 });
  const spellOf = (peakObserved: number, seenAtMs = NOW): LeaveSpell => ({ aboveSince: above.aboveSince!, peakObserved, seenAtMs });
  const decide = (occupancy: InstanceOccupancy | null, spell: LeaveSpell | null = null, of: PublishedTarget | null = above, at = NOW) =>
    leaveDecision({ target: of, occupancy, spell, nowMs: at }, packing);
  const full = (rank: number): InstanceOccupancy => ({ fill: 6, slots: 6, rank });

  it('claims at once on an instance whose occupancy times rank is below the share of the peak no longer wanted', () => {
    // A full instance of six ranked 0.19: 1 × 0.19 < 0.2; each of its agents reads the same fill and rank.
    expect(decide(full(0.19))).toEqual({ claim: true, spell: spellOf(60) });
    expect(decide(full(0.2)).claim).toBe(false);
    // Half full, it qualifies up to rank 0.4.
    expect(decide({ fill: 3, slots: 6, rank: 0.39 }).claim).toBe(true);
    expect(decide({ fill: 3, slots: 6, rank: 0.4 }).claim).toBe(false);
  });

  it('goes on down the same order as the target falls during the spell', () => {
    // The spell peaked at 60; after the lowest fifth left, 48 are counted and 36 wanted: ranks below 0.4 go now.
    const later = target({ agents: 36, observed: 48 });
    expect(decide(full(0.39), spellOf(60), later)).toEqual({ claim: true, spell: spellOf(60) });
    expect(decide(full(0.41), spellOf(60), later).claim).toBe(false);
    // A new spell (another aboveSince) starts from its own peak.
    const next = target({ agents: 36, observed: 48, aboveSince: NOW - 20_000 });
    expect(decide(full(0.39), spellOf(60), next)).toEqual({ claim: false, spell: { aboveSince: NOW - 20_000, peakObserved: 48, seenAtMs: NOW } });
  });

  it('otherwise claims once it has seen the spell for packingDelayMs per other agent on its instance', () => {
    expect(decide(full(0.9), spellOf(60, NOW - 899_999)).claim).toBe(false);
    expect(decide(full(0.9), spellOf(60, NOW - 900_000)).claim).toBe(true);
    const two = { fill: 2, slots: 6, rank: 0.9 };
    expect(decide(two, spellOf(60, NOW - 179_999)).claim).toBe(false);
    expect(decide(two, spellOf(60, NOW - 180_000)).claim).toBe(true);
  });

  it('claims at once when alone on its instance, on an instance of one slot, or when it cannot tell its instance', () => {
    expect(decide({ fill: 1, slots: 6, rank: 0.99 }).claim).toBe(true);
    expect(decide({ fill: 1, slots: 1, rank: 0.99 }).claim).toBe(true);
    expect(decide(null)).toEqual({ claim: true, spell: spellOf(60) });
  });

  it('claims nothing when no leave is due, remembering the spell only while the tier is above its target', () => {
    const alone = { fill: 1, slots: 6, rank: 0 };
    expect(decide(alone, spellOf(60, NOW - 900_000), target({ agents: 60, observed: 60, aboveSince: null }))).toEqual({ claim: false, spell: null });
    expect(decide(alone, null, null)).toEqual({ claim: false, spell: null });
    // Within the grace: not yet, but the spell is seen from now.
    const early = target({ aboveSince: NOW - 9_999 });
    expect(decide(alone, null, early)).toEqual({ claim: false, spell: { aboveSince: NOW - 9_999, peakObserved: 6, seenAtMs: NOW } });
  });

  it('on a full fleet, chooses the share no longer wanted of its instances, whole', () => {
    // 1,000 full instances of six with evenly spread ranks: those ranked below the share leave whole.
    const chosen = Array.from({ length: 1_000 }, (_, i) => decide(full((i + 0.5) / 1_000)).claim).filter(Boolean);
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
