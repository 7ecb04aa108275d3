import { describe, expect, it } from 'vitest';
import { FleetCapacityExceeded } from '../errors/capacity.js';
import type { PublishedTarget } from '../ports/fleetTargets.js';
import type { LaunchRate } from '../scale/launchRate.js';
import { UNKNOWN_SHAPE, type CriticalPathShape } from '../scale/workWindow.js';
import {
  checkFleetCapacity as check,
  committedBlocks,
  committedDemand,
  DEFAULT_QUOTE_PUBLICATION_LAG_SECONDS,
  standingAgents,
  type BlockDemand,
  type FleetQuota,
} from './fleetCapacity.js';

const NOW = 1_700_000_000;
// 100 heavy and 400 light agents, 80 % of their time proving: 80 heavy and 320 light agent-seconds a second.
const quota = { agents: { heavy: 100, light: 400 }, utilisation: 0.8 };
const quota1000 = { agents: { heavy: 1_000, light: 1_000 }, utilisation: 0.8 };
const block = (key: string, deadlineIn: number, heavy: number, light = 0, startsIn = 0, shape: CriticalPathShape = UNKNOWN_SHAPE): BlockDemand => ({
  key,
  startsAt: NOW + startsIn,
  deadline: NOW + deadlineIn,
  workSeconds: { heavy, light },
  shape,
});
/** A target as the scaler publishes it: one agent counted and wanted, no work unless given. */
const published = (overrides: Partial<PublishedTarget> = {}): PublishedTarget => ({
  agents: 1,
  observed: 1,
  leftAtCount: 0,
  leftBefore: 0,
  quotaAgents: 10,
  aboveSince: null,
  work: [],
  publishedAt: 0,
  left: 0,
  ...overrides,
});
/** The check with the whole quota up at once (the devnet's local agents), as before launches were counted. */
const checkFleetCapacity = (candidate: BlockDemand, committed: BlockDemand[], fleetQuota: FleetQuota, now: number) =>
  check(candidate, { quota: fleetQuota, committed }, now);

describe('checkFleetCapacity', () => {
  it('quotes a block whose work fits in the fleet before its deadline, and says how tight the fleet gets', () => {
    // 1,000 s × 80 heavy agent-seconds a second = 80,000; the block needs 40,000.
    const verdict = checkFleetCapacity(block('new', 1_000, 40_000), [], quota, NOW);
    expect(verdict).toEqual({ fits: true, tightest: 0.5 });
  });

  it('refuses a block that would push a committed block past its deadline, naming the tier, window and figures', () => {
    const committed = [block('run-a', 600, 30_000)];
    // Both due by 600 s: 30,000 + 20,000 > 80 × 600 = 48,000.
    const verdict = checkFleetCapacity(block('block 9', 600, 20_000), committed, quota, NOW);
    expect(verdict.fits).toBe(false);
    if (verdict.fits) return;
    expect(verdict.refusal).toBeInstanceOf(FleetCapacityExceeded);
    expect(verdict.refusal.shortfall).toEqual({
      tier: 'heavy',
      from: NOW,
      until: NOW + 600,
      neededSeconds: 50_000,
      availableSeconds: 48_000,
      agents: 100,
      standing: null,
      blocks: ['run-a', 'block 9'],
    });
    expect(verdict.refusal.message).toContain('heavy tier would need 50000 agent-seconds for 2 block(s)');
  });

  it('serves blocks earliest deadline first: a later deadline leaves room the earlier block does not need', () => {
    const committed = [block('run-a', 600, 30_000)];
    // Due at 1,200 s: 30,000 + 60,000 = 90,000 ≤ 96,000, and run-a alone fits by 600 s.
    expect(checkFleetCapacity(block('block 9', 1_200, 60_000), committed, quota, NOW).fits).toBe(true);
    expect(checkFleetCapacity(block('block 9', 1_200, 67_000), committed, quota, NOW).fits).toBe(false);
  });

  it('counts a block from when its work can start, not from now', () => {
    // Starting at 500 s and due at 1,000 s, 45,000 heavy seconds fit only in 80 × 500 = 40,000.
    expect(checkFleetCapacity(block('block 9', 1_000, 45_000, 0, 500), [], quota, NOW).fits).toBe(false);
    expect(checkFleetCapacity(block('block 9', 1_000, 45_000, 0, 0), [], quota, NOW).fits).toBe(true);
  });

  it('checks each tier against its own quota', () => {
    const verdict = checkFleetCapacity(block('block 9', 100, 0, 33_000), [], quota, NOW);
    expect(verdict.fits).toBe(false);
    if (!verdict.fits) expect(verdict.refusal.shortfall).toMatchObject({ tier: 'light', neededSeconds: 33_000, availableSeconds: 32_000 });
  });

  it('holds no capacity for blocks already past their deadline', () => {
    const lost = [block('run-late', -10, 1_000_000)];
    expect(checkFleetCapacity(block('block 9', 600, 10_000), lost, quota, NOW).fits).toBe(true);
  });

  it('refuses a block due before its work could start', () => {
    expect(checkFleetCapacity(block('block 9', 100, 1, 0, 200), [], quota, NOW).fits).toBe(false);
  });
});

describe('checkFleetCapacity against the fleet EC2 can bring up', () => {
  // EC2's bucket refills 2 instances a second; an agent polls 60 s after its launch is asked for; one per instance.
  const rate: LaunchRate = { burstInstances: 1_000, instancesPerSecond: 2, agentsPerInstance: { heavy: 1, light: 1 }, startupSeconds: 60 };
  const onAws = (tokens = 0): FleetQuota => ({ agents: { heavy: 1_000, light: 1_000 }, utilisation: 0.8, launch: { rate, tokens } });

  it('refuses a block a cold fleet cannot launch enough agents for by its deadline, and takes it from a warm one', () => {
    // 60,000 heavy seconds by 300 s: the quota would give 240,000, but from no agent and an empty bucket the fleet
    // is 2 (t − 60) agents after 60 s: 57,360 agent-seconds × 0.8 = 45,888.
    const due = block('block 9', 300, 60_000);
    expect(checkFleetCapacity(due, [], quota1000, NOW).fits).toBe(true);
    const cold = check(due, { quota: onAws(), committed: [] }, NOW);
    expect(cold.fits).toBe(false);
    if (!cold.fits) {
      expect(cold.refusal.shortfall).toMatchObject({ tier: 'heavy', standing: 0, agents: 1_000, availableSeconds: 45_888 });
      expect(cold.refusal.message).toContain('the fleet it can have up (0 agents now, at most 1000');
    }
    // 300 heavy agents already running: 90,000 + 57,360 agent-seconds.
    expect(check(due, { quota: onAws(), committed: [], standing: { heavy: 300, light: 0 } }, NOW).fits).toBe(true);
    // The same block due later gives EC2 the time to launch them.
    expect(check(block('block 9', 600, 60_000), { quota: onAws(), committed: [] }, NOW).fits).toBe(true);
  });

  it('counts the tokens assumed left in the bucket: a full bucket launches 1,000 at once', () => {
    expect(check(block('block 9', 300, 60_000), { quota: onAws(1_000), committed: [] }, NOW).fits).toBe(true);
  });

  it('shares the one launch bucket between the tiers: each fits alone, not both', () => {
    // 40,000 heavy and 40,000 light seconds by 300 s: each ≤ 45,888, together 80,000 instance-seconds.
    expect(check(block('h', 300, 40_000), { quota: onAws(), committed: [] }, NOW).fits).toBe(true);
    expect(check(block('l', 300, 0, 40_000), { quota: onAws(), committed: [] }, NOW).fits).toBe(true);
    const both = check(block('block 9', 300, 40_000, 40_000), { quota: onAws(), committed: [] }, NOW);
    expect(both.fits).toBe(false);
    if (!both.fits) {
      expect(both.refusal.shortfall).toMatchObject({ tier: 'launches', neededSeconds: 80_000, availableSeconds: 45_888, blocks: ['block 9', 'block 9'] });
      expect(both.refusal.message).toContain('both tiers (one EC2 launch bucket) would need 80000 instance-seconds');
    }
  });

  it('never counts more agents than the quota, however long the window', () => {
    // 1,000 agents × 0.8 × 10,000 s = 8,000,000 at most, even with a full bucket and a warm fleet.
    const fleet = { quota: onAws(1_000), committed: [], standing: { heavy: 1_000, light: 1_000 } };
    expect(check(block('block 9', 10_000, 8_000_000), fleet, NOW).fits).toBe(true);
    expect(check(block('block 9', 10_000, 8_000_001), fleet, NOW).fits).toBe(false);
  });
});

describe('checkFleetCapacity with each tier\'s share of the critical path', () => {
  // A block whose VM proofs (heavy) are leaves under a 200-s kernel and rollup tail, on a 260-s critical path.
  const shape = { criticalSeconds: 260, headSeconds: { heavy: 0, light: 60 }, tailSeconds: { heavy: 200, light: 0 } };

  it('refuses a block whose heavy work cannot end its critical-path tail before the deadline, where the whole window fitted', () => {
    // 20,000 heavy seconds due at 300 s: 80 × 300 = 24,000 to the deadline, but only 80 × 100 before the tail.
    expect(checkFleetCapacity(block('block 9', 300, 20_000), [], quota, NOW).fits).toBe(true);
    const cut = checkFleetCapacity(block('block 9', 300, 20_000, 0, 0, shape), [], quota, NOW);
    expect(cut.fits).toBe(false);
    if (!cut.fits) expect(cut.refusal.shortfall).toMatchObject({ tier: 'heavy', from: NOW, until: NOW + 100, availableSeconds: 8_000 });
  });

  it('gives no tier more than the scaler does: its work ends half the remaining critical path before the deadline', () => {
    // Light: from 60 s (after the first VM proofs) to 300 − 130 s: 110 s × 320 = 35,200.
    expect(checkFleetCapacity(block('block 9', 300, 0, 35_200, 0, shape), [], quota, NOW).fits).toBe(true);
    const light = checkFleetCapacity(block('block 9', 300, 0, 35_300, 0, shape), [], quota, NOW);
    expect(light.fits).toBe(false);
    if (!light.fits) expect(light.refusal.shortfall).toMatchObject({ tier: 'light', from: NOW + 60, until: NOW + 170 });
  });
});

describe('checkFleetCapacity with signed quotes', () => {
  it('counts a signed quote whose run has not started as committed work, until it lapses untaken', () => {
    const none = { heavy: null, light: null };
    // Signed for a block whose work starts at 20 s, due at 600 s: 30,000 heavy seconds.
    const quoteA = { ...block('b1-aa', 600, 30_000, 0, 20), validUntil: NOW + 10 };
    const candidate = block('block 9', 600, 20_000);
    // Alone, the block fits (20,000 ≤ 48,000); with the signed quote it does not (50,000 > 80 × 600).
    expect(check(candidate, { quota, committed: committedBlocks(none, [], NOW) }, NOW).fits).toBe(true);
    expect(check(candidate, { quota, committed: committedBlocks(none, [quoteA], NOW) }, NOW).fits).toBe(false);
    // 90 s after its validUntil with no run published for it, nobody took it.
    const later = NOW + 10 + DEFAULT_QUOTE_PUBLICATION_LAG_SECONDS;
    expect(committedBlocks(none, [quoteA], later)).toEqual([]);
  });

  it('counts a quote whose run is published by the work the scaler published, with the quote\'s shape', () => {
    const shape = { criticalSeconds: 400, headSeconds: { heavy: 0, light: 30 }, tailSeconds: { heavy: 340, light: 0 } };
    const quoteA = { ...block('b1-aa', 600, 30_000, 0, -100, shape), validUntil: NOW + 10 };
    const target = published({ work: [{ runId: 'b1-aa', deadline: NOW + 600, reason: 'committed', remainingSeconds: 5_000 }] });
    expect(committedBlocks({ heavy: target, light: null }, [quoteA], NOW)).toEqual([
      { key: 'b1-aa', startsAt: NOW, deadline: NOW + 600, workSeconds: { heavy: 5_000, light: 0 }, shape, elapsedSeconds: 100 },
    ]);
  });
});

describe('standingAgents', () => {
  it('counts the agents running at the last tick, not those still starting', () => {
    const target = (observed: number, running?: number) => published({ agents: observed, observed, ...(running === undefined ? {} : { running }) });
    expect(standingAgents({ heavy: target(5_000, 1_200), light: target(40) })).toEqual({ heavy: 1_200, light: 0 });
    expect(standingAgents({ heavy: null, light: null })).toEqual({ heavy: 0, light: 0 });
  });
});

describe('committedDemand', () => {
  it('gathers each live run’s remaining work per tier from the published targets', () => {
    const target = (work: PublishedTarget['work']) => published({ work });
    const targets = {
      heavy: target([{ runId: 'a', deadline: NOW + 600, reason: 'committed', remainingSeconds: 900 }]),
      light: target([
        { runId: 'a', deadline: NOW + 600, reason: 'committed', remainingSeconds: 300 },
        { runId: 'b', deadline: NOW + 700, reason: 'open-race', remainingSeconds: 60 },
      ]),
    };
    expect(committedDemand(targets, NOW)).toEqual([
      { key: 'a', startsAt: NOW, deadline: NOW + 600, workSeconds: { heavy: 900, light: 300 }, shape: UNKNOWN_SHAPE },
      { key: 'b', startsAt: NOW, deadline: NOW + 700, workSeconds: { heavy: 0, light: 60 }, shape: UNKNOWN_SHAPE },
    ]);
    // A run whose quote quoting remembers keeps its shape, and has run since its start.
    const shape = { criticalSeconds: 400, headSeconds: { heavy: 0, light: 30 }, tailSeconds: { heavy: 340, light: 0 } };
    expect(committedDemand(targets, NOW, new Map([['a', { shape, startsAt: NOW - 100 }]]))[0]).toMatchObject({ key: 'a', shape, elapsedSeconds: 100 });
    expect(committedDemand({ heavy: null, light: null }, NOW)).toEqual([]);
  });
});
