import { describe, expect, it } from 'vitest';
import { surplusOf, type PublishedTarget } from '../ports/fleetTargets.js';
import { leaveCounts, type LeaveRead } from './sizeFleet.js';

const T0 = 1_700_000_000_000;
const published = (overrides: Partial<PublishedTarget>): PublishedTarget => ({
  agents: 7,
  observed: 12,
  leftAtCount: 0,
  leftBefore: 0,
  quotaAgents: 100,
  aboveSince: T0,
  work: [],
  publishedAt: T0,
  left: 0,
  ...overrides,
});

describe('leaveCounts', () => {
  it('starts from nothing before the first target', () => {
    expect(leaveCounts(null, T0, {})).toEqual({ leftAtCount: 0, leftBefore: 0, reads: [] });
  });

  it('keeps discounting leaves granted within exitListedSeconds of the count: the five agents that left are not granted again', () => {
    // Five left after the first tick; Batch still lists them 20 s later.
    const previous = published({ left: 5 });
    const counts = leaveCounts(previous, T0 + 20_000, { exitListedSeconds: 30 });
    expect(counts).toMatchObject({ leftAtCount: 5, leftBefore: 0 });
    expect(surplusOf({ ...previous, leftAtCount: counts.leftAtCount, leftBefore: counts.leftBefore, publishedAt: T0 + 20_000 })).toBe(0);
  });

  it('trusts the previous read once it is exitListedSeconds old', () => {
    const previous = published({ left: 5, leftAtCount: 5, leftBefore: 0, publishedAt: T0 });
    expect(leaveCounts(previous, T0 + 30_000, { exitListedSeconds: 30 })).toMatchObject({ leftAtCount: 5, leftBefore: 5 });
    expect(leaveCounts(previous, T0 + 29_999, { exitListedSeconds: 30 })).toMatchObject({ leftAtCount: 5, leftBefore: 0 });
  });

  it('advances its bound with ticks closer together than exitListedSeconds, from the reads it remembers', () => {
    // Ticks every 10 s; 40 agents left between the first two ticks. Without remembering reads, leftBefore stayed at 0
    // forever and those 40 leaves were held against every later surplus: a tier of 30 above a target of 0 kept them all.
    let target: PublishedTarget = published({ agents: 0, observed: 70, left: 0, publishedAt: T0 });
    let reads: readonly LeaveRead[] = [];
    for (let tick = 1; tick <= 5; tick++) {
      const now = T0 + tick * 10_000;
      const left = 40;
      const counts = leaveCounts({ ...target, left }, now, { exitListedSeconds: 30 }, reads);
      reads = counts.reads;
      target = { ...target, observed: 30, left, leftAtCount: counts.leftAtCount, leftBefore: counts.leftBefore, publishedAt: now };
    }
    // The read of 40 at T0 + 10 s is 40 s old at the last tick: those leavers are gone from the count.
    expect(target.leftBefore).toBe(40);
    expect(surplusOf(target)).toBe(30);
    // It keeps only reads that can still matter: the newest one old enough, and the recent ones.
    expect(reads.map((read) => read.atMs - T0)).toEqual([20_000, 30_000, 40_000, 50_000]);
  });

  it('never takes a bound beyond the leaves granted so far', () => {
    const counts = leaveCounts(published({ left: 3 }), T0 + 60_000, { exitListedSeconds: 30 }, [{ atMs: T0, left: 9 }]);
    expect(counts.leftBefore).toBe(3);
  });
});
