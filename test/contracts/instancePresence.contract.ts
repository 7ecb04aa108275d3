import { describe, expect, it } from 'vitest';
import { PRESENCE_STALE_MS, type InstancePresence } from '../../core/ports/instancePresence.js';
import { withFixture } from './withFixture.js';

export interface InstancePresenceFixture {
  /**
   * A new handle on instance `instance` (hosting `slots` agents), as another agent process on that instance opens
   * one; handles on the same instance share what is announced.
   */
  open(instance: string, slots: number): InstancePresence;
  close(): Promise<void>;
}

const T0 = 1_700_000_000_000;

/**
 * The behaviour every InstancePresence must have: an agent counts itself and every other agent announced on its own
 * instance (once each, however often they refresh), no agent of another instance; every agent of an instance reads one
 * rank in [0, 1) for the instance's life, also when they announce at once on a fresh instance; a withdrawn agent no
 * longer counts; an announcement older than `PRESENCE_STALE_MS` is ignored.
 */
export function describeInstancePresenceContract(name: string, create: () => Promise<InstancePresenceFixture>) {
  describe(`InstancePresence contract: ${name}`, () => {
    const withPresence = withFixture(create);

    it('counts an agent alone on its instance, with the instance\'s slots and a rank in [0, 1)', withPresence(async (fixture) => {
      const occupancy = await fixture.open('i-1', 6).announce('heavy-a', T0);
      expect(occupancy.fill).toBe(1);
      expect(occupancy.slots).toBe(6);
      expect(occupancy.rank).toBeGreaterThanOrEqual(0);
      expect(occupancy.rank).toBeLessThan(1);
    }));

    it('counts each agent of the instance once, however often it refreshes, and none of another instance', withPresence(async (fixture) => {
      const first = fixture.open('i-1', 24);
      const second = fixture.open('i-1', 24);
      await first.announce('light-job:1', T0);
      await second.announce('light-job:10', T0 + 1_000);
      await first.announce('light-job:1', T0 + 2_000);
      await fixture.open('i-2', 24).announce('light-job:2', T0 + 2_000);
      expect((await second.announce('light-job:10', T0 + 3_000)).fill).toBe(2);
      expect((await fixture.open('i-2', 24).announce('light-job:3', T0 + 3_000)).fill).toBe(2);
    }));

    it('gives every agent of an instance the same rank, also when they announce at once on a fresh instance', withPresence(async (fixture) => {
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => fixture.open('i-1', 24).announce(`light-${i}`, T0)));
      expect(new Set(answers.map((answer) => answer.rank)).size).toBe(1);
      const later = await fixture.open('i-1', 24).announce('light-late', T0 + 600_000);
      expect(later.rank).toBe(answers[0]!.rank);
      expect(later.fill).toBe(9);
    }));

    it('no longer counts an agent that withdrew; withdrawing one never announced changes nothing', withPresence(async (fixture) => {
      const presence = fixture.open('i-1', 6);
      await presence.announce('heavy-a', T0);
      await presence.announce('heavy-b', T0);
      await presence.withdraw('heavy-a');
      await presence.withdraw('heavy-never');
      expect((await presence.announce('heavy-b', T0 + 1_000)).fill).toBe(1);
    }));

    it('ignores an announcement older than PRESENCE_STALE_MS (an agent killed without withdrawing)', withPresence(async (fixture) => {
      const presence = fixture.open('i-1', 6);
      await presence.announce('heavy-killed', T0);
      expect((await presence.announce('heavy-b', T0 + PRESENCE_STALE_MS)).fill).toBe(2);
      expect((await presence.announce('heavy-b', T0 + PRESENCE_STALE_MS + 1_000)).fill).toBe(1);
    }));
  });
}
