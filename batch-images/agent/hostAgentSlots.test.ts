import { describe, expect, it } from 'vitest';
import { hostAgentSlots } from './hostAgentSlots.js';

describe('hostAgentSlots', () => {
  it('counts the agents the host holds, by its CPUs and the memory its kernel reports', () => {
    // A c7i.48xlarge's kernel reports ~374 of its 384 GiB: six heavy (60 GiB) agents, 24 light (by CPUs).
    expect(hostAgentSlots('heavy', 4, { vcpus: 192, memoryGiB: 374 })).toBe(6);
    expect(hostAgentSlots('light', 16, { vcpus: 192, memoryGiB: 374 })).toBe(24);
    // A c6i.32xlarge: four heavy, 16 light.
    expect(hostAgentSlots('heavy', 4, { vcpus: 128, memoryGiB: 249 })).toBe(4);
    expect(hostAgentSlots('light', 16, { vcpus: 128, memoryGiB: 249 })).toBe(16);
    // Memory binds before CPUs: 310 GiB holds five heavy agents.
    expect(hostAgentSlots('heavy', 4, { vcpus: 192, memoryGiB: 310 })).toBe(5);
  });

  it('keeps the configured count on a host too small for one agent', () => {
    expect(hostAgentSlots('heavy', 4, { vcpus: 8, memoryGiB: 16 })).toBe(4);
  });
});
