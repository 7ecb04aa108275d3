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
    expect(decision).toMatchObject({ desired: 120, start: 120, shed: 0, spot: true });
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

  it('sheds idle agents the plan no longer needs, keeping those it needs again soon', () => {
    // 100 running, 20 busy, a margin of 2 for in-flight counts that lag: 78 idle; the plan keeps 30.
    expect(sizeTier(demand({ inFlight: 20, plannedSoon: 30 }), { running: 100, starting: 0 }, limits).shed).toBe(70);
    // Nothing to shed while jobs wait, or while the plan needs them within the horizon.
    expect(sizeTier(demand({ queued: 5, inFlight: 20 }), { running: 100, starting: 0 }, limits).shed).toBe(0);
    expect(sizeTier(demand({ inFlight: 20, plannedSoon: 100 }), { running: 100, starting: 0 }, limits).shed).toBe(0);
  });

  it("in a source-only tier's last round targets the jobs still waiting: the other agents leave as their proofs end", () => {
    // 100 agents prove, 30 sources wait (paced and plannedSoon still count the busy ones): 30 stay, 70 are shed.
    const last = demand({ pacedOnly: true, queued: 30, inFlight: 100, paced: 130, plannedSoon: 100 });
    expect(sizeTier(last, { running: 100, starting: 0 }, limits)).toMatchObject({ desired: 30, start: 0, shed: 70 });
    expect(sizeTier(last, { running: 100, starting: 0 }, limits).why).toContain('last round of sources: 30 queued (0 held by agents gone) for 100 running');
    // Jobs held by agents no longer counted come back when their visibility times out: an agent stays for each.
    expect(sizeTier({ ...last, inFlight: 90 }, { running: 80, starting: 0 }, limits)).toMatchObject({ desired: 40, shed: 40 });
    // What the plan wants once new agents could arrive is kept; agents still starting are surplus too.
    expect(sizeTier({ ...last, planned: 50 }, { running: 100, starting: 10 }, limits)).toMatchObject({ desired: 50, shed: 60 });
    // Every source started and some agent idle: every agent goes as its proof ends.
    expect(sizeTier(demand({ pacedOnly: true, inFlight: 60 }), { running: 100, starting: 0 }, limits).shed).toBe(100);
    // As many jobs in flight as agents: the agent may be idle and the job's agent gone, so it stays for the job.
    expect(sizeTier(demand({ pacedOnly: true, inFlight: 1 }), { running: 1, starting: 0 }, limits)).toMatchObject({ desired: 1, shed: 0 });
    // Not before the last round (as many waiting as running), not in a tier with other jobs, not when the deadline is at risk.
    expect(sizeTier({ ...last, queued: 100 }, { running: 100, starting: 0 }, limits).shed).toBe(0);
    expect(sizeTier({ ...last, pacedOnly: false }, { running: 100, starting: 0 }, limits).shed).toBe(0);
    expect(sizeTier({ ...last, slackSeconds: 30 }, { running: 100, starting: 0 }, limits).shed).toBe(0);
  });

  it('never sheds a busy agent: the margin covers an in-flight count that lags by a request or two', () => {
    // All 100 agents prove; nothing is queued and the plan needs none of them after their jobs.
    expect(sizeTier(demand({ inFlight: 100 }), { running: 100, starting: 0 }, limits).shed).toBe(0);
    // 98 in flight: the two that look idle are the margin (1 per 100 running, plus one).
    expect(sizeTier(demand({ inFlight: 98 }), { running: 100, starting: 0 }, limits).shed).toBe(0);
    expect(sizeTier(demand({ inFlight: 97 }), { running: 100, starting: 0 }, limits).shed).toBe(1);
    // 250 running: a margin of 3 + 1.
    expect(sizeTier(demand({ inFlight: 200 }), { running: 250, starting: 0 }, limits).shed).toBe(46);
  });

  it('counts agents still starting as idle, and sheds nothing while the deadline is at risk', () => {
    expect(sizeTier(demand({}), { running: 0, starting: 5 }, limits)).toMatchObject({ desired: 0, shed: 5 });
    expect(sizeTier(demand({ slackSeconds: 10 }), { running: 10, starting: 5 }, limits).shed).toBe(0);
  });

  it('keeps agents the plan needs soon even when the plan needs fewer later', () => {
    expect(sizeTier(demand({ planned: 5, plannedSoon: 20 }), { running: 30, starting: 0 }, limits)).toMatchObject({ desired: 5, start: 0, shed: 10 });
    expect(sizeTier(demand({ planned: 25, plannedSoon: 20 }), { running: 30, starting: 0 }, limits)).toMatchObject({ desired: 25, shed: 5 });
  });

  it('treats slack exactly at the urgent threshold as enough', () => {
    const at = sizeTier(demand({ slackSeconds: 60, remainingWorkSeconds: 6_000, workWindowSeconds: 100 }), none, limits);
    expect(at).toMatchObject({ desired: 0, spot: true });
    expect(at.why).toBe('planned 0, paced 0, backlog 0 (queued 0, in flight 0)');
    const below = sizeTier(demand({ slackSeconds: 59.6, remainingWorkSeconds: 6_000, workWindowSeconds: 100 }), none, limits);
    expect(below).toMatchObject({ desired: 60, start: 60, spot: false, why: 'deadline at risk (slack 60 s): 60 agents on demand' });
  });

  it('sizes for the deadline from at least one second of window, and not at all when no work is left', () => {
    expect(sizeTier(demand({ slackSeconds: 0, remainingWorkSeconds: 90, workWindowSeconds: 0.2 }), none, limits).desired).toBe(90);
    expect(sizeTier(demand({ slackSeconds: 0, remainingWorkSeconds: 90, workWindowSeconds: -50 }), none, limits).desired).toBe(90);
    expect(sizeTier(demand({ slackSeconds: 0, remainingWorkSeconds: 0, workWindowSeconds: 10 }), none, limits)).toMatchObject({ desired: 0, spot: false });
  });

  it('does not count a queue of paced source jobs as a backlog, however long', () => {
    expect(sizeTier(demand({ queued: 5_000, pacedOnly: true, inFlight: 10 }), { running: 10, starting: 0 }, limits)).toMatchObject({ desired: 10, start: 0, shed: 0 });
    expect(sizeTier(demand({ queued: 5_000, inFlight: 10 }), { running: 10, starting: 0 }, limits).desired).toBe(1_000);
  });

  it('stays within the tier limits, and says when the quota binds', () => {
    const capped = sizeTier(demand({ planned: 5_000 }), none, limits);
    expect(capped.desired).toBe(1_000);
    expect(capped.why).toContain('the quota of 1000 agents binds (5000 wanted)');
    expect(sizeTier(demand({ planned: 1_000 }), none, limits).why).not.toContain('quota');
    expect(sizeTier(demand({}), none, { ...limits, minAgents: 4 }).desired).toBe(4);
  });
});
