import { describeInstancePresenceContract } from '../../test/contracts/instancePresence.contract.js';
import { seededRandom } from '../../core/random/seededRandom.js';
import type { InstancePresence } from '../../core/ports/instancePresence.js';
import { createMemoryInstancePresence } from './memoryInstancePresence.js';

describeInstancePresenceContract('memory (unit tests, simulator)', async () => {
  const instances = new Map<string, InstancePresence>();
  const draw = seededRandom('presence');
  return {
    open(instance, slots) {
      if (!instances.has(instance)) instances.set(instance, createMemoryInstancePresence({ slots, rank: draw() }));
      return instances.get(instance)!;
    },
    close: async () => undefined,
  };
});
