import { describe, expect, it } from 'vitest';
import type { Tier } from '../tiers.js';
import { syntheticBlockBody } from '../body/syntheticBlockBody.js';
import { planBlock } from '../plan/planBlock.js';
import { rfp2023 } from '../profiles/rfp2023.js';
import { twoTxPlan } from '../../test/support/twoTxPlan.js';
import { planPacing } from './planPacing.js';
import { referenceSchedule } from './referenceSchedule.js';
import type { ScalingSettings } from './scalingSettings.js';
import { widthProfile } from './widthProfile.js';

const settings: ScalingSettings = {
  minAgents: { heavy: 0, light: 0 },
  maxAgents: { heavy: 10, light: 10 },
  horizonSeconds: 60,
  urgentSlackSeconds: 20,
  secondsPerExpectedSecond: 1,
};
const none = () => 0;
const both = (count: number) => (_tier: Tier) => count;

describe('planPacing', () => {
  it('with no agents yet, aims at stretch × the critical path after new agents arrive (mutating nothing)', () => {
    const profile = widthProfile(twoTxPlan);
    const { capacity, pacing } = planPacing(profile, { elapsed: 10, timeLeft: 1_000, running: none, settings, stretch: 1.2 });
    expect(pacing).toMatchObject({ startsAt: 70, finishAt: 70 + 180, lagSeconds: 0 });
    // The VMs may start as late as 130 s and 160 s, base 1 at 190 s: one new agent per tier, arriving at 70 s.
    expect(capacity).toEqual({ heavy: { now: 0, later: 1, laterAt: 70 }, light: { now: 0, later: 1, laterAt: 70 } });
    expect(pacing.reference.makespanSeconds).toBe(70 + 150);
  });

  it('starts the schedule now when every tier with source jobs already has agents', () => {
    const profile = widthProfile(twoTxPlan);
    const { capacity, pacing } = planPacing(profile, { elapsed: 10, timeLeft: 1_000, running: both(1), settings, stretch: 1 });
    expect(pacing).toMatchObject({ startsAt: 10, finishAt: 160 });
    // One agent proves both VMs in time: vm 0.1 has 30 s of slack before kernel 0.0 is done.
    expect(capacity.heavy).toEqual({ now: 1, later: 0, laterAt: 70 });
    expect(pacing.reference.makespanSeconds).toBe(150);
  });

  it('waits for new agents when only some source tiers have agents', () => {
    const profile = widthProfile(twoTxPlan);
    const { pacing } = planPacing(profile, { elapsed: 0, timeLeft: 1_000, running: (tier) => (tier === 'heavy' ? 2 : 0), settings, stretch: 1 });
    expect(pacing.startsAt).toBe(60);
  });

  it('finishes by the deadline less the urgent slack, but never aims below the critical path', () => {
    const tight = widthProfile(twoTxPlan);
    expect(planPacing(tight, { elapsed: 0, timeLeft: 250, running: both(2), settings, stretch: 2 }).pacing.finishAt).toBe(230);
    const impossible = widthProfile(twoTxPlan);
    expect(planPacing(impossible, { elapsed: 0, timeLeft: 100, running: both(2), settings, stretch: 2 }).pacing.finishAt).toBe(150);
  });

  it('asks for no more than the tier may have, and never for a negative number', () => {
    const capped = widthProfile(twoTxPlan);
    const { capacity } = planPacing(capped, { elapsed: 0, timeLeft: 1_000, running: none, settings: { ...settings, maxAgents: { heavy: 0, light: 0 } }, stretch: 1 });
    expect(capacity).toEqual({ heavy: { now: 0, later: 0, laterAt: 60 }, light: { now: 0, later: 0, laterAt: 60 } });
    const crowded = widthProfile(twoTxPlan);
    expect(planPacing(crowded, { elapsed: 0, timeLeft: 1_000, running: both(8), settings, stretch: 1 }).capacity.heavy).toEqual({ now: 8, later: 0, laterAt: 60 });
  });

  it('sizes a source tier to the least width that keeps the reference on its target, busy flat until its sources run out', () => {
    // 64 txs with two public calls: 128 VMs of 30 s (64 with 270 s of path after them, 64 with 240 s), critical path 300 s.
    const plan = planBlock(syntheticBlockBody({ txs: 64, publicCalls: { kind: 'fixed', calls: 2 }, seed: 'flat' }), rfp2023, { blockId: 'flat', trusted: true });
    const profile = widthProfile(plan);
    const warm = { ...settings, maxAgents: { heavy: 1_000, light: 1_000 }, horizonSeconds: 0 };
    // Finishing by 324 s leaves two 30-s rounds for the VMs (64 each); by 330 s three (⌈128 / 3⌉ = 43); by 360 s four (32).
    for (const [stretch, width, rounds] of [[1.08, 64, 2], [1.1, 43, 3], [1.2, 32, 4]] as const) {
      const { capacity, pacing } = planPacing(profile, { elapsed: 0, timeLeft: 1_000, running: none, settings: warm, stretch });
      expect(capacity.heavy.later).toBe(width);
      expect(pacing.reference.makespanSeconds).toBeLessThanOrEqual(pacing.finishAt);
      const narrower = referenceSchedule(plan, profile.sources, { ...capacity, heavy: { ...capacity.heavy, later: width - 1 } });
      expect(narrower.makespanSeconds).toBeGreaterThan(pacing.finishAt);
      for (let round = 0; round < rounds - 1; round++) expect(pacing.reference.peakBusy('heavy', 30 * round, 30 * round + 29)).toBe(width);
      expect(pacing.reference.peakBusy('heavy', 30 * rounds, 30 * rounds + 29)).toBe(0);
    }
  });
  it('waits for new agents when the few agents there cannot end the sources by a target no new agent could help', () => {
    // The 8,192-vCPU stream at 50 % load: a block alone after a long gap finds a few agents left. Starting now, the
    // target (1.08 × 300 s) leaves the VMs' latest starts (324 − 270 − 30 = 24 s) before new agents arrive (90 s), so
    // a plan from now asks for none and keeps two agents for 128 VMs (a reference of 2,160 s): every such block missed.
    const plan = planBlock(syntheticBlockBody({ txs: 64, publicCalls: { kind: 'fixed', calls: 2 }, seed: 'flat' }), rfp2023, { blockId: 'flat', trusted: true });
    const profile = widthProfile(plan);
    const cold = { ...settings, maxAgents: { heavy: 1_000, light: 1_000 }, horizonSeconds: 90 };
    const { capacity, pacing } = planPacing(profile, { elapsed: 0, timeLeft: 840, running: both(2), settings: cold, stretch: 1.08 });
    expect(pacing).toMatchObject({ startsAt: 90, finishAt: 90 + 324 });
    expect(capacity.heavy.now).toBe(2);
    expect(capacity.heavy.later).toBeGreaterThan(0);
    expect(pacing.reference.makespanSeconds).toBeLessThanOrEqual(pacing.finishAt);
    // Agents enough to end the sources in time from now still start the schedule now.
    expect(planPacing(profile, { elapsed: 0, timeLeft: 840, running: both(64), settings: cold, stretch: 1.08 }).pacing.startsAt).toBe(0);
  });
  it('starts now when the agents there end a round late but sooner than waiting would, or when waiting adds none', () => {
    const plan = planBlock(syntheticBlockBody({ txs: 64, publicCalls: { kind: 'fixed', calls: 2 }, seed: 'flat' }), rfp2023, { blockId: 'flat', trusted: true });
    const profile = widthProfile(plan);
    const cold = { ...settings, maxAgents: { heavy: 1_000, light: 1_000 }, horizonSeconds: 90 };
    // 60 agents for 128 VMs: a third round, past the 324-s target but well before waiting's 414 s.
    const short = planPacing(profile, { elapsed: 0, timeLeft: 840, running: both(60), settings: cold, stretch: 1.08 });
    expect(short.pacing.startsAt).toBe(0);
    expect(short.pacing.reference.makespanSeconds).toBeGreaterThan(short.pacing.finishAt);
    expect(short.pacing.reference.makespanSeconds).toBeLessThanOrEqual(90 + 324);
    // Two agents and no room for more: waiting would only move the target.
    const full = { ...cold, maxAgents: { heavy: 2, light: 2 } };
    const capped = planPacing(profile, { elapsed: 0, timeLeft: 840, running: both(2), settings: full, stretch: 1.08 });
    expect(capped.pacing.startsAt).toBe(0);
    expect(capped.capacity.heavy.later).toBe(0);
  });
});
