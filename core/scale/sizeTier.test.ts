import { describe, expect, it } from 'vitest';
import { sizeTier, type TierDemand } from './sizeTier.js';

const limits = { minAgents: 0, maxAgents: 1_000, urgentSlackSeconds: 60 };
const demand = (overrides: Partial<TierDemand>): TierDemand => ({
  queued: 0,
  inFlight: 0,
  planned: 0,
  plannedSoon: 0,
  paced: 0,
  pacedOnly: false,
  expectedQueued: 0,
  remainingWorkSeconds: 0,
  slackSeconds: 600,
  workWindowSeconds: 600,
  ...overrides,
});
const none = { running: 0, starting: 0 };

describe('sizeTier', () => {
  it('paces a queue of source jobs instead of matching its width', () => {
    const decision = sizeTier(demand({ queued: 900, pacedOnly: true, paced: 120, planned: 100 }), none, limits);
    expect(decision).toMatchObject({ desired: 120, start: 120, stop: 0, spot: true });
  });

  it('gives an agent to every job waiting beyond the plan (a backlog)', () => {
    expect(sizeTier(demand({ queued: 50, inFlight: 30, expectedQueued: 20, planned: 10 }), none, limits).desired).toBe(60);
    // 35 running, 30 of them busy: the 5 idle take 5 of the 50 waiting; 45 more agents for the rest.
    expect(sizeTier(demand({ queued: 50, inFlight: 30, planned: 10 }), { running: 35, starting: 0 }, limits).start).toBe(40);
  });

  it('starts nothing for waiting jobs that idle agents are about to take', () => {
    // A round of children landed at once: 50 parents wait, and 40 of the 70 running agents are between jobs.
    expect(sizeTier(demand({ queued: 50, inFlight: 30, planned: 10 }), { running: 70, starting: 0 }, limits)).toMatchObject({ desired: 40, start: 0 });
    expect(sizeTier(demand({ queued: 30, inFlight: 30, planned: 10 }), { running: 70, starting: 0 }, limits)).toMatchObject({ desired: 30, start: 0 });
  });

  it('asks for what the forecast needs, less what is running or starting', () => {
    expect(sizeTier(demand({ planned: 400 }), { running: 250, starting: 100 }, limits).start).toBe(50);
  });

  it('buys on demand, sized to the deadline, when the slack is short', () => {
    const decision = sizeTier(demand({ slackSeconds: 30, remainingWorkSeconds: 30_000, workWindowSeconds: 100, planned: 10 }), none, limits);
    expect(decision).toMatchObject({ desired: 300, spot: false });
    expect(decision.why).toContain('deadline at risk');
  });

  it('stops idle agents the plan no longer needs, keeping those it needs again soon', () => {
    // 100 running, 20 busy, a margin of 2 for in-flight counts that lag: 78 idle; the plan keeps 30.
    expect(sizeTier(demand({ inFlight: 20, plannedSoon: 30 }), { running: 100, starting: 0 }, limits).stop).toBe(70);
    // Nothing to stop while jobs wait, or while the plan needs them within the horizon.
    expect(sizeTier(demand({ queued: 5, inFlight: 20 }), { running: 100, starting: 0 }, limits).stop).toBe(0);
    expect(sizeTier(demand({ inFlight: 20, plannedSoon: 100 }), { running: 100, starting: 0 }, limits).stop).toBe(0);
  });

  it('stays within the tier limits', () => {
    expect(sizeTier(demand({ planned: 5_000 }), none, limits).desired).toBe(1_000);
    expect(sizeTier(demand({}), none, { ...limits, minAgents: 4 }).desired).toBe(4);
  });
});
