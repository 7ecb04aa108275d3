import { describe, expect, it } from 'vitest';
import { sourceAgentsNeeded } from './sourceAgentsNeeded.js';
import type { SourceJobs } from './sourceJobs.js';

/** `count` source jobs of 30 s, each followed by `tail` seconds of work before the root. */
function sources(count: number, tail: number): SourceJobs {
  return {
    jobs: Int32Array.from({ length: count }, (_, i) => i),
    seconds: new Float64Array(count).fill(30),
    tails: new Float64Array(count).fill(tail),
    meanSeconds: 30,
    wholeTier: true,
  };
}

describe('sourceAgentsNeeded', () => {
  it('spreads the jobs over every round that still ends in time, instead of one agent per job', () => {
    // Each job must end by 180 − 60 = 120, so start by 90: rounds at 0, 30, 60 and 90.
    expect(sourceAgentsNeeded(sources(12, 60), 12, { now: 0, arriveAt: 0, finishAt: 180, busy: 0, idle: 0 })).toBe(3);
    // With less time, more agents.
    expect(sourceAgentsNeeded(sources(12, 60), 12, { now: 0, arriveAt: 0, finishAt: 120, busy: 0, idle: 0 })).toBe(6);
  });

  it('counts agents already working, and new ones only from when they arrive', () => {
    const jobs = sources(12, 60);
    expect(sourceAgentsNeeded(jobs, 12, { now: 0, arriveAt: 0, finishAt: 180, busy: 0, idle: 3 })).toBe(3);
    // New agents arriving at 30 get three rounds (30, 60, 90): two of them cover what one idle agent's four miss.
    expect(sourceAgentsNeeded(jobs, 12, { now: 0, arriveAt: 30, finishAt: 180, busy: 0, idle: 2 })).toBe(4);
    // Busy agents are free again in half a job.
    expect(sourceAgentsNeeded(jobs, 12, { now: 0, arriveAt: 100, finishAt: 180, busy: 4, idle: 0 })).toBe(4);
  });

  it('sizes only for the jobs still waiting, which are the lowest-priority ones', () => {
    const jobs: SourceJobs = { ...sources(4, 0), tails: Float64Array.from([120, 120, 0, 0]) };
    // The two left wait for nothing after them: by 150 − 30 = 120 there are five rounds.
    expect(sourceAgentsNeeded(jobs, 2, { now: 0, arriveAt: 0, finishAt: 150, busy: 0, idle: 0 })).toBe(1);
    expect(sourceAgentsNeeded(jobs, 0, { now: 0, arriveAt: 0, finishAt: 150, busy: 0, idle: 5 })).toBe(5);
  });

  it('does not size new agents for jobs they could not start in time', () => {
    expect(sourceAgentsNeeded(sources(10, 60), 10, { now: 0, arriveAt: 200, finishAt: 180, busy: 0, idle: 1 })).toBe(1);
  });

  it('counts a busy agent from half a round on: too late for a job that must start before that', () => {
    // One 30 s job that must start by 14 s: a busy agent is free at 15 s, so a new one (arriving at once) is needed...
    expect(sourceAgentsNeeded(sources(1, 0), 1, { now: 0, arriveAt: 0, finishAt: 44, busy: 1, idle: 0 })).toBe(2);
    // ...but not when the job may start at 15 s or later.
    expect(sourceAgentsNeeded(sources(1, 0), 1, { now: 0, arriveAt: 0, finishAt: 45, busy: 1, idle: 0 })).toBe(1);
  });

  it('gives an idle agent the round starting now, even for a job that must start now', () => {
    expect(sourceAgentsNeeded(sources(1, 0), 1, { now: 0, arriveAt: -30, finishAt: 30, busy: 0, idle: 1 })).toBe(1);
  });

  it('sizes nothing more for jobs that take no time', () => {
    const instant: SourceJobs = { ...sources(3, 0), seconds: new Float64Array(3), meanSeconds: 0 };
    expect(sourceAgentsNeeded(instant, 3, { now: 0, arriveAt: 0, finishAt: 10, busy: 0, idle: 0 })).toBe(0);
    expect(sourceAgentsNeeded(instant, 3, { now: 0, arriveAt: 0, finishAt: 10, busy: 1, idle: 2, starting: 1 })).toBe(4);
  });

  it('counts agents still starting from when they are expected', () => {
    const jobs = sources(12, 60);
    expect(sourceAgentsNeeded(jobs, 12, { now: 0, arriveAt: 60, finishAt: 180, busy: 0, idle: 0, starting: 3, startingAt: 0 })).toBe(3);
  });
});
