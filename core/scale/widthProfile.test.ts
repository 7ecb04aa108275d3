import { describe, expect, it } from 'vitest';
import { twoTxPlan } from '../../test/support/twoTxPlan.js';
import { widthProfile } from './widthProfile.js';

describe('widthProfile', () => {
  const profile = widthProfile(twoTxPlan);

  it('carries the critical path of the plan and its source jobs', () => {
    expect(profile.criticalPathSeconds).toBe(150);
    expect(profile.plan).toBe(twoTxPlan);
    expect(profile.sources.heavy.jobs).toHaveLength(2);
  });

  it('counts the jobs that start in a window (after its start, up to its end) with unlimited agents', () => {
    expect(profile.upcoming('heavy', -1, 1)).toBe(2);
    expect(profile.upcoming('heavy', 0, 100)).toBe(0);
    expect(profile.upcoming('light', 0, 60)).toBe(2);
    expect(profile.upcoming('light', 29, 91)).toBe(4);
  });

  it('counts the jobs not started by a time', () => {
    expect(profile.notStarted('light', 30)).toBe(3);
    expect(profile.notStarted('light', 29.9)).toBe(4);
    expect(profile.notStarted('heavy', 0)).toBe(0);
  });

  it('places a count of finished jobs on the ideal schedule', () => {
    // Jobs end at 30, 30, 30 (the VMs and base 1), 60, 90, 120 and 150 s.
    expect([-1, 0, 1, 3, 4, 6, 7, 100].map((done) => profile.progressAt(done))).toEqual([0, 0, 30, 30, 60, 120, 150, 150]);
  });

  it("says how much of a tier's work starts after a time", () => {
    expect(profile.remainingWork('light', -1)).toBe(150);
    expect(profile.remainingWork('light', 0)).toBe(120);
    expect(profile.remainingWork('light', 60)).toBe(60);
    expect(profile.remainingWork('light', 120)).toBe(0);
    expect(profile.remainingWork('heavy', -1)).toBe(60);
    expect(profile.remainingWork('heavy', 0)).toBe(0);
  });
});
