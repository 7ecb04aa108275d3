import { describe, expect, it } from 'vitest';
import { surplusOf, type PublishedTarget } from '../ports/fleetTargets.js';
import { leaveCounts } from './sizeFleet.js';

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
    expect(leaveCounts(null, T0, {})).toEqual({ leftAtCount: 0, leftBefore: 0 });
  });

  it('keeps discounting leaves granted within exitListedSeconds of the count: the five agents that left are not granted again', () => {
    // Five left after the first tick; Batch still lists them 20 s later.
    const previous = published({ left: 5 });
    const counts = leaveCounts(previous, T0 + 20_000, { exitListedSeconds: 30 });
    expect(counts).toEqual({ leftAtCount: 5, leftBefore: 0 });
    expect(surplusOf({ ...previous, ...counts, publishedAt: T0 + 20_000 })).toBe(0);
  });

  it('trusts the previous read once it is exitListedSeconds old', () => {
    const previous = published({ left: 5, leftAtCount: 5, leftBefore: 0, publishedAt: T0 });
    expect(leaveCounts(previous, T0 + 30_000, { exitListedSeconds: 30 })).toEqual({ leftAtCount: 5, leftBefore: 5 });
    expect(leaveCounts(previous, T0 + 29_999, { exitListedSeconds: 30 })).toEqual({ leftAtCount: 5, leftBefore: 0 });
  });
});
