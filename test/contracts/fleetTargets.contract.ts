import { describe, expect, it } from 'vitest';
import type { FleetTargets, TierTarget } from '../../core/ports/fleetTargets.js';
import { withFixture } from './withFixture.js';

export interface FleetTargetsFixture {
  readonly targets: FleetTargets;
  close(): Promise<void>;
}

const target = (overrides: Partial<TierTarget> = {}): TierTarget => ({
  agents: 10,
  observed: 10,
  quotaAgents: 250,
  aboveSince: null,
  work: [],
  publishedAt: 1_700_000_000_000,
  ...overrides,
});

/**
 * The behaviour every FleetTargets adapter must have: a tier's target reads back as put (with no leave claimed),
 * tiers are independent, a new target replaces the old one and its leave count, and leaves are granted for exactly
 * the surplus, also when many agents ask at once.
 */
export function describeFleetTargetsContract(name: string, open: () => Promise<FleetTargetsFixture>) {
  describe(`FleetTargets contract: ${name}`, () => {
    const withTargets = withFixture(open);

    it('has no target for a tier the scaler never published', withTargets(async ({ targets }) => {
      expect(await targets.get('heavy')).toBeNull();
      expect(await targets.claimLeave('heavy')).toBe(false);
    }));

    it('reads a target back as it was put, for its own tier only', withTargets(async ({ targets }) => {
      const heavy = target({
        agents: 120,
        observed: 150,
        aboveSince: 1_700_000_000_500,
        work: [
          { runId: 'run-a', deadline: 1_700_001_200, reason: 'committed', remainingSeconds: 61_440.5 },
          { runId: 'run-b', deadline: 1_700_001_272, reason: 'open-race', remainingSeconds: 30 },
        ],
      });
      await targets.put('heavy', heavy);
      expect(await targets.get('heavy')).toEqual({ ...heavy, leaving: 0 });
      expect(await targets.get('light')).toBeNull();
    }));

    it('grants leaves for exactly the surplus, however many agents ask at once', withTargets(async ({ targets }) => {
      await targets.put('light', target({ agents: 7, observed: 12 }));
      const answers = await Promise.all(Array.from({ length: 20 }, () => targets.claimLeave('light')));
      expect(answers.filter(Boolean)).toHaveLength(5);
      expect(await targets.get('light')).toMatchObject({ leaving: 5, agents: 7, observed: 12 });
      expect(await targets.claimLeave('light')).toBe(false);
    }));

    it('grants no leave when the tier is at or below its target', withTargets(async ({ targets }) => {
      await targets.put('heavy', target({ agents: 10, observed: 10 }));
      await targets.put('light', target({ agents: 10, observed: 4 }));
      expect(await targets.claimLeave('heavy')).toBe(false);
      expect(await targets.claimLeave('light')).toBe(false);
    }));

    it('a new target replaces the old one and starts its leave count again', withTargets(async ({ targets }) => {
      await targets.put('heavy', target({ agents: 0, observed: 2, aboveSince: 1 }));
      expect(await targets.claimLeave('heavy')).toBe(true);
      await targets.put('heavy', target({ agents: 3, observed: 5, aboveSince: 2, work: [] }));
      expect(await targets.get('heavy')).toMatchObject({ agents: 3, observed: 5, aboveSince: 2, leaving: 0 });
      expect(await targets.claimLeave('heavy')).toBe(true);
      expect(await targets.claimLeave('heavy')).toBe(true);
      expect(await targets.claimLeave('heavy')).toBe(false);
    }));
  });
}
