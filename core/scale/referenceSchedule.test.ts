import { describe, expect, it } from 'vitest';
import { syntheticBlockBody } from '../body/syntheticBlockBody.js';
import { planBlock } from '../plan/planBlock.js';
import { rfp2023 } from '../profiles/rfp2023.js';
import { referenceSchedule } from './referenceSchedule.js';
import { sourceJobsOf } from './sourceJobs.js';

// 4 txs with one public call: 4 VMs (heavy sources), then kernel, base, 2 merges and the root (light).
const plan = planBlock(syntheticBlockBody({ txs: 4, publicCalls: { kind: 'fixed', calls: 1 }, seed: 'ref' }), rfp2023, {
  blockId: 'ref',
  trusted: true,
});
const sources = sourceJobsOf(plan);
const none = { now: 0, later: 0, laterAt: 0 };

describe('referenceSchedule', () => {
  it('meets the critical path when every source has an agent from the start', () => {
    const reference = referenceSchedule(plan, sources, { heavy: { now: 4, later: 0, laterAt: 0 }, light: none });
    expect(reference.makespanSeconds).toBe(plan.criticalPathSeconds);
    expect(reference.peakBusy('heavy', 0, 29)).toBe(4);
    expect(reference.peakBusy('light', 30, 59)).toBe(4);
    expect(reference.queued('heavy', 0)).toBe(0);
  });

  it('queues sources behind fewer agents and starts new ones when they arrive', () => {
    const reference = referenceSchedule(plan, sources, { heavy: { now: 1, later: 1, laterAt: 30 }, light: none });
    // One VM at 0, two at 30 (the old agent and the new), the last at 60.
    expect(reference.timeWhenSourcesStarted('heavy', 1)).toBe(0);
    expect(reference.timeWhenSourcesStarted('heavy', 3)).toBe(30);
    expect(reference.timeWhenSourcesStarted('heavy', 4)).toBe(60);
    expect(reference.timeWhenSourcesStarted('heavy', 5)).toBe(Infinity);
    expect(reference.queued('heavy', 10)).toBe(3);
    expect(reference.makespanSeconds).toBe(plan.criticalPathSeconds + 60);
  });

  it('never counts back-to-back jobs twice at the second they meet', () => {
    const reference = referenceSchedule(plan, sources, { heavy: { now: 2, later: 0, laterAt: 0 }, light: none });
    expect(reference.peakBusy('heavy', 0, 60)).toBe(2);
  });

  it('serves the sources in queue order, each on the agent free first, however the agents arrive', () => {
    const wide = planBlock(syntheticBlockBody({ txs: 8, publicCalls: { kind: 'fixed', calls: 1 }, seed: 'wide' }), rfp2023, { blockId: 'wide', trusted: true });
    const wideSources = sourceJobsOf(wide);
    const starts = (capacity: { now: number; later: number; laterAt: number }) => {
      const reference = referenceSchedule(wide, wideSources, { heavy: capacity, light: none });
      return Array.from({ length: 8 }, (_, i) => reference.timeWhenSourcesStarted('heavy', i + 1));
    };
    expect(starts({ now: 1, later: 0, laterAt: 0 })).toEqual([0, 30, 60, 90, 120, 150, 180, 210]);
    expect(starts({ now: 2, later: 2, laterAt: 45 })).toEqual([0, 0, 30, 30, 45, 45, 60, 60]);
    expect(starts({ now: 3, later: 1, laterAt: 10 })).toEqual([0, 0, 0, 10, 30, 30, 30, 40]);
    expect(starts({ now: 0, later: 3, laterAt: 20 })).toEqual([20, 20, 20, 50, 50, 50, 80, 80]);
  });

  it('counts the agents busy in a window by whole seconds, from its first to its last second', () => {
    const reference = referenceSchedule(plan, sources, { heavy: { now: 2, later: 0, laterAt: 0 }, light: none });
    // Two VMs at 0–30 s, two at 30–60 s; kernels follow each VM.
    expect(reference.peakBusy('heavy', -10, 0)).toBe(2);
    expect(reference.peakBusy('heavy', -10, -1)).toBe(0);
    expect(reference.peakBusy('heavy', 59.5, 59.6)).toBe(2);
    expect(reference.peakBusy('heavy', 60, 100)).toBe(0);
    expect(reference.peakBusy('heavy', 0, 1_000)).toBe(2);
    expect(reference.peakBusy('light', 29, 30)).toBe(2);
    expect(reference.queued('heavy', 0)).toBe(2);
    expect(reference.queued('heavy', 30)).toBe(0);
    expect(reference.timeWhenSourcesStarted('heavy', 0)).toBe(0);
    expect(reference.timeWhenSourcesStarted('heavy', -3)).toBe(0);
  });

  it('says the block never ends when a tier with sources has no agent, with all its work still to do', () => {
    const stuck = referenceSchedule(plan, sources, { heavy: none, light: none });
    expect(stuck.makespanSeconds).toBe(Infinity);
    expect(stuck.remainingWork('heavy', 100)).toBe(4 * 30);
    expect(stuck.remainingWork('light', 100)).toBe(11 * 30);
  });

  it('says how many agent-seconds are left from a second on, by whole seconds', () => {
    const reference = referenceSchedule(plan, sources, { heavy: { now: 2, later: 0, laterAt: 0 }, light: none });
    // Two VMs at 0–30 s, two at 30–60 s; 11 light jobs of 30 s (4 kernels, 4 bases, 2 merges, the root).
    expect(reference.remainingWork('heavy', -5)).toBe(120);
    expect(reference.remainingWork('heavy', 0)).toBe(120);
    expect(reference.remainingWork('heavy', 30)).toBe(60);
    expect(reference.remainingWork('heavy', 44.6)).toBe(30);
    expect(reference.remainingWork('heavy', 60)).toBe(0);
    expect(reference.remainingWork('heavy', 10_000)).toBe(0);
    expect(reference.remainingWork('light', 0)).toBe(330);
    expect(reference.remainingWork('light', reference.makespanSeconds)).toBe(0);
  });
});
