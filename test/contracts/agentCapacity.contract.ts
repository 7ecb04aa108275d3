import { describe, expect, it } from 'vitest';
import type { AgentCapacity } from '../../core/ports/agentCapacity.js';
import type { Tier } from '../../core/tiers.js';
import { withFixture } from './withFixture.js';

export interface AgentCapacityFixture {
  readonly capacity: AgentCapacity;
  /** Lets `ms` pass: stopped agents finish stopping in it (a local agent ends its long poll; Batch needs nothing). */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Agents of a tier that are starting or running. */
async function total(capacity: AgentCapacity, tier: Tier): Promise<number> {
  const { running, starting } = await capacity.count(tier);
  return running + starting;
}

/** The count a tier settles at: stopping is asynchronous (an agent finishes its job first), so poll, bounded. */
async function settlesAt(fixture: AgentCapacityFixture, tier: Tier, expected: number): Promise<number> {
  let seen = await total(fixture.capacity, tier);
  for (let attempt = 0; attempt < 100 && seen !== expected; attempt++) {
    await fixture.advance(50);
    seen = await total(fixture.capacity, tier);
  }
  return seen;
}

/**
 * The behaviour every AgentCapacity adapter must have: started agents are counted (starting or running) in their own
 * tier, `stop` takes away at most what it is asked for, and stopping more than there are leaves none. Each test gets
 * a fresh fixture, which must hold at least 5 agents per tier.
 */
export function describeAgentCapacityContract(name: string, open: () => Promise<AgentCapacityFixture>) {
  describe(`AgentCapacity contract: ${name}`, () => {
    const withCapacity = withFixture(open);

    it('counts nothing before anything starts', withCapacity(async ({ capacity }) => {
      expect(await capacity.count('heavy')).toEqual({ running: 0, starting: 0 });
      expect(await capacity.count('light')).toEqual({ running: 0, starting: 0 });
    }));

    it('counts started agents, Spot or on demand, in their own tier only', withCapacity(async (fixture) => {
      await fixture.capacity.start('heavy', 3, { spot: true, reason: 'contract: width' });
      await fixture.capacity.start('heavy', 1, { spot: false, reason: 'contract: slack is short' });
      expect(await settlesAt(fixture, 'heavy', 4)).toBe(4);
      expect(await total(fixture.capacity, 'light')).toBe(0);
    }));

    it('starting zero agents starts none', withCapacity(async (fixture) => {
      await fixture.capacity.start('light', 0, { spot: true, reason: 'contract: nothing to do' });
      expect(await total(fixture.capacity, 'light')).toBe(0);
    }));

    it('stops at most as many agents as asked, and only of the tier asked', withCapacity(async (fixture) => {
      await fixture.capacity.start('light', 5, { spot: true, reason: 'contract' });
      await fixture.capacity.start('heavy', 2, { spot: true, reason: 'contract' });
      expect(await settlesAt(fixture, 'light', 5)).toBe(5);
      await fixture.capacity.stop('light', 2);
      expect(await settlesAt(fixture, 'light', 3)).toBe(3);
      expect(await total(fixture.capacity, 'heavy')).toBe(2);
    }));

    it('stopping more agents than there are leaves none, and stopping none stops none', withCapacity(async (fixture) => {
      await fixture.capacity.start('heavy', 2, { spot: true, reason: 'contract' });
      expect(await settlesAt(fixture, 'heavy', 2)).toBe(2);
      await fixture.capacity.stop('heavy', 0);
      expect(await total(fixture.capacity, 'heavy')).toBe(2);
      await fixture.capacity.stop('heavy', 10);
      expect(await settlesAt(fixture, 'heavy', 0)).toBe(0);
      await fixture.capacity.stop('heavy', 1);
      expect(await total(fixture.capacity, 'heavy')).toBe(0);
    }));
  });
}
