import { describe, expect, it } from 'vitest';
import { FleetCapacityExceeded } from '../errors/capacity.js';
import type { PublishedTarget } from '../ports/fleetTargets.js';
import { checkFleetCapacity, committedDemand, type BlockDemand } from './fleetCapacity.js';

const NOW = 1_700_000_000;
// 100 heavy and 400 light agents, 80 % of their time proving: 80 heavy and 320 light agent-seconds a second.
const quota = { agents: { heavy: 100, light: 400 }, utilisation: 0.8 };
const block = (key: string, deadlineIn: number, heavy: number, light = 0, startsIn = 0): BlockDemand => ({
  key,
  startsAt: NOW + startsIn,
  deadline: NOW + deadlineIn,
  workSeconds: { heavy, light },
});

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

describe('committedDemand', () => {
  it('gathers each live run’s remaining work per tier from the published targets', () => {
    const target = (work: PublishedTarget['work']): PublishedTarget => ({
      agents: 1,
      observed: 1,
      leftAtCount: 0,
      leftBefore: 0,
      quotaAgents: 10,
      aboveSince: null,
      work,
      publishedAt: 0,
      left: 0,
    });
    const published = {
      heavy: target([{ runId: 'a', deadline: NOW + 600, reason: 'committed', remainingSeconds: 900 }]),
      light: target([
        { runId: 'a', deadline: NOW + 600, reason: 'committed', remainingSeconds: 300 },
        { runId: 'b', deadline: NOW + 700, reason: 'open-race', remainingSeconds: 60 },
      ]),
    };
    expect(committedDemand(published, NOW)).toEqual([
      { key: 'a', startsAt: NOW, deadline: NOW + 600, workSeconds: { heavy: 900, light: 300 } },
      { key: 'b', startsAt: NOW, deadline: NOW + 700, workSeconds: { heavy: 0, light: 60 } },
    ]);
    expect(committedDemand({ heavy: null, light: null }, NOW)).toEqual([]);
  });
});
