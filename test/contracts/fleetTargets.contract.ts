import { describe, expect, it } from 'vitest';
import { ScalerMemoryTooLargeError } from '../../core/errors/index.js';
import type { FleetTargets, TierTarget } from '../../core/ports/fleetTargets.js';
import { SCALER_MEMORY_MAX_BYTES } from '../../core/scale/scalerMemoryRecord.js';
import { withFixture } from './withFixture.js';

export interface FleetTargetsFixture {
  readonly targets: FleetTargets;
  close(): Promise<void>;
}

const target = (overrides: Partial<TierTarget> = {}): TierTarget => ({
  agents: 10,
  observed: 10,
  leftAtCount: 0,
  leftBefore: 0,
  quotaAgents: 250,
  aboveSince: null,
  work: [],
  publishedAt: 1_700_000_000_000,
  ...overrides,
});

/**
 * The behaviour every FleetTargets adapter must have: a tier's target reads back as put (with no leave claimed),
 * tiers are independent, only a newer target replaces the old one and the leave count survives it, leaves are
 * granted for exactly the surplus (also when many agents ask at once, and never again for agents that left but are
 * still counted), and one scaling tick holds the lease at a time; the scaler's memory is saved only by the tick
 * holding the lease, survives the lease's turns, and is refused above the size one item holds.
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
        running: 90,
        aboveSince: 1_700_000_000_500,
        work: [
          { runId: 'run-a', deadline: 1_700_001_200, reason: 'committed', remainingSeconds: 61_440.5 },
          { runId: 'run-b', deadline: 1_700_001_272, reason: 'open-race', remainingSeconds: 30 },
        ],
      });
      await targets.put('heavy', heavy);
      expect(await targets.get('heavy')).toEqual({ ...heavy, left: 0 });
      expect(await targets.get('light')).toBeNull();
      // A publisher that did not count running agents says nothing of them, even over one that did.
      const { running: _counted, ...uncounted } = { ...heavy, publishedAt: heavy.publishedAt + 1 };
      await targets.put('heavy', uncounted);
      expect(await targets.get('heavy')).toEqual({ ...uncounted, left: 0 });
    }));

    it('grants leaves for exactly the surplus, however many agents ask at once', withTargets(async ({ targets }) => {
      await targets.put('light', target({ agents: 7, observed: 12 }));
      const answers = await Promise.all(Array.from({ length: 20 }, () => targets.claimLeave('light')));
      expect(answers.filter(Boolean)).toHaveLength(5);
      expect(await targets.get('light')).toMatchObject({ left: 5, agents: 7, observed: 12 });
      expect(await targets.claimLeave('light')).toBe(false);
    }));

    it('grants no leave when the tier is at or below its target', withTargets(async ({ targets }) => {
      await targets.put('heavy', target({ agents: 10, observed: 10 }));
      await targets.put('light', target({ agents: 10, observed: 4 }));
      expect(await targets.claimLeave('heavy')).toBe(false);
      expect(await targets.claimLeave('light')).toBe(false);
    }));

    it('a newer target replaces the old one and keeps the leave count', withTargets(async ({ targets }) => {
      await targets.put('heavy', target({ agents: 0, observed: 2, aboveSince: 1, publishedAt: 1_000 }));
      expect(await targets.claimLeave('heavy')).toBe(true);
      // The scaler counted after reading one leave: the two agents it saw are both still there.
      expect(await targets.put('heavy', target({ agents: 3, observed: 5, leftAtCount: 1, leftBefore: 1, aboveSince: 2, publishedAt: 2_000 }))).toBe(true);
      expect(await targets.get('heavy')).toMatchObject({ agents: 3, observed: 5, aboveSince: 2, left: 1, leftBefore: 1, leftAtCount: 1 });
      expect(await targets.claimLeave('heavy')).toBe(true);
      expect(await targets.claimLeave('heavy')).toBe(true);
      expect(await targets.claimLeave('heavy')).toBe(false);
      expect(await targets.get('heavy')).toMatchObject({ left: 3 });
    }));

    it('grants no leave again for agents that left while the count still includes them', withTargets(async ({ targets }) => {
      await targets.put('light', target({ agents: 7, observed: 12, publishedAt: 1_000 }));
      for (let i = 0; i < 5; i++) expect(await targets.claimLeave('light')).toBe(true);
      // The next tick's count is as stale (Batch still lists the five): leaves granted since leftBefore are discounted.
      await targets.put('light', target({ agents: 7, observed: 12, leftAtCount: 5, leftBefore: 0, publishedAt: 2_000 }));
      expect(await targets.claimLeave('light')).toBe(false);
      // Once the count is known to exclude them, a real surplus is granted again.
      await targets.put('light', target({ agents: 5, observed: 7, leftAtCount: 5, leftBefore: 5, publishedAt: 3_000 }));
      const answers = await Promise.all([1, 2, 3].map(() => targets.claimLeave('light')));
      expect(answers.filter(Boolean)).toHaveLength(2);
    }));

    it('discounts leaves granted between the scaler reading the count and its put landing', withTargets(async ({ targets }) => {
      await targets.put('heavy', target({ agents: 8, observed: 10, publishedAt: 1_000 }));
      // The scaler read left = 0 and counted 10; meanwhile an agent left.
      expect(await targets.claimLeave('heavy')).toBe(true);
      await targets.put('heavy', target({ agents: 8, observed: 10, leftAtCount: 0, leftBefore: 0, publishedAt: 2_000 }));
      expect(await targets.claimLeave('heavy')).toBe(true);
      expect(await targets.claimLeave('heavy')).toBe(false);
    }));

    it('replaces a target only with a newer one, and only the one the caller read when it names it', withTargets(async ({ targets }) => {
      expect(await targets.put('heavy', target({ agents: 4, publishedAt: 2_000 }), { ifPublishedAt: 1_000 })).toBe(false);
      expect(await targets.put('heavy', target({ agents: 4, publishedAt: 2_000 }), { ifPublishedAt: null })).toBe(true);
      expect(await targets.put('heavy', target({ agents: 5, publishedAt: 1_500 }))).toBe(false);
      expect(await targets.put('heavy', target({ agents: 5, publishedAt: 2_000 }))).toBe(false);
      expect(await targets.put('heavy', target({ agents: 6, publishedAt: 3_000 }), { ifPublishedAt: 1_000 })).toBe(false);
      expect(await targets.put('heavy', target({ agents: 6, publishedAt: 3_000 }), { ifPublishedAt: null })).toBe(false);
      expect(await targets.get('heavy')).toMatchObject({ agents: 4, publishedAt: 2_000 });
      expect(await targets.put('heavy', target({ agents: 7, publishedAt: 3_000 }), { ifPublishedAt: 2_000 })).toBe(true);
      expect(await targets.put('heavy', target({ agents: 8, aboveSince: null, publishedAt: 4_000 }))).toBe(true);
      expect(await targets.get('heavy')).toMatchObject({ agents: 8, publishedAt: 4_000, aboveSince: null });
    }));

    it('lets one tick hold the lease at a time, until it ends or expires', withTargets(async ({ targets }) => {
      const answers = await Promise.all([1, 2, 3, 4].map(() => targets.claimTick(1_000, 61_000)));
      expect(answers.filter(Boolean)).toHaveLength(1);
      expect(await targets.claimTick(30_000, 90_000)).toBe(false);
      // Ending someone else's (expired, retaken) lease does nothing.
      await targets.endTick(99_999, 30_000);
      expect(await targets.claimTick(30_000, 90_000)).toBe(false);
      await targets.endTick(61_000, 31_000);
      expect(await targets.claimTick(31_000, 91_000)).toBe(true);
      // A tick that died holds it only until its lease runs out.
      expect(await targets.claimTick(90_999, 150_000)).toBe(false);
      expect(await targets.claimTick(91_000, 151_000)).toBe(true);
    }));

    it('keeps the scaler memory the last tick saved, across the lease’s turns', withTargets(async ({ targets }) => {
      expect(await targets.loadScalerMemory()).toBeNull();
      expect(await targets.claimTick(1_000, 61_000)).toBe(true);
      expect(await targets.saveScalerMemory('{"version":1,"first":true}', 61_000)).toBe(true);
      expect(await targets.saveScalerMemory('{"version":1,"second":true}', 61_000)).toBe(true);
      await targets.endTick(61_000, 4_000);
      expect(await targets.loadScalerMemory()).toBe('{"version":1,"second":true}');
      // The next tick, elsewhere, finds it; taking the lease does not lose it.
      expect(await targets.claimTick(5_000, 65_000)).toBe(true);
      expect(await targets.loadScalerMemory()).toBe('{"version":1,"second":true}');
    }));

    it('saves the scaler memory only for the tick holding the lease', withTargets(async ({ targets }) => {
      // Nobody holds the lease yet.
      expect(await targets.saveScalerMemory('never', 61_000)).toBe(false);
      expect(await targets.claimTick(1_000, 61_000)).toBe(true);
      expect(await targets.saveScalerMemory('first', 61_000)).toBe(true);
      // Another lease than the one held is not.
      expect(await targets.saveScalerMemory('other lease', 62_000)).toBe(false);
      // The held one, once its time has run out while nobody took it over, is still the caller's: no other tick's
      // memory can be lost by this save.
      expect(await targets.saveScalerMemory('expired, not taken over', 61_000)).toBe(true);
      expect(await targets.loadScalerMemory()).toBe('expired, not taken over');
      // The lease ran out and a newer tick took it and saved: the old tick, finishing late, overwrites nothing.
      expect(await targets.claimTick(61_000, 121_000)).toBe(true);
      // Even before the newer tick saves: its lease, not the old one's, is the one a save must hold.
      expect(await targets.saveScalerMemory('stale, early', 61_000)).toBe(false);
      expect(await targets.saveScalerMemory('newer', 121_000)).toBe(true);
      expect(await targets.saveScalerMemory('stale', 61_000)).toBe(false);
      // A lease given back is no longer held.
      await targets.endTick(121_000, 64_000);
      expect(await targets.saveScalerMemory('after the end', 121_000)).toBe(false);
      expect(await targets.loadScalerMemory()).toBe('newer');
    }));

    it('stores a scaler memory up to the most one item holds, and refuses a bigger one', withTargets(async ({ targets }) => {
      expect(await targets.claimTick(1_000, 61_000)).toBe(true);
      const largest = 'x'.repeat(SCALER_MEMORY_MAX_BYTES);
      expect(await targets.saveScalerMemory(largest, 61_000)).toBe(true);
      // Bytes, not characters: 'é' is two bytes of UTF-8.
      await expect(targets.saveScalerMemory('é'.repeat(SCALER_MEMORY_MAX_BYTES / 2 + 1), 61_000)).rejects.toThrow(ScalerMemoryTooLargeError);
      await expect(targets.saveScalerMemory(`${largest}x`, 61_000)).rejects.toThrow(ScalerMemoryTooLargeError);
      expect(await targets.loadScalerMemory()).toBe(largest);
    }));
  });
}
