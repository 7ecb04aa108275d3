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

  it('says the block never ends when a tier with sources has no agent', () => {
    expect(referenceSchedule(plan, sources, { heavy: none, light: none }).makespanSeconds).toBe(Infinity);
  });
});
