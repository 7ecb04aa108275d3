import { describe, expect, it } from 'vitest';
import { agentJobSize } from '../../core/tiers.js';
import { hostAgentSlots } from './hostAgentSlots.js';

const heavy = agentJobSize('heavy');
const light = agentJobSize('light');

describe('hostAgentSlots', () => {
  it('counts the agents the host holds, by its CPUs and the memory its kernel reports', () => {
    // A c7i.48xlarge (192 vCPU, 384 GiB). What its kernel reports (and ECS registers) is not documented
    // (docs/deploy-review.md): 374 GiB is an ESTIMATE, ~97.4 %, within the 95.5–97.9 % ECS users report. Six heavy
    // (60 GiB) agents need 360 GiB (93.75 %) and the AMI's 32 MiB reserve; 24 light are bound by CPUs.
    expect(hostAgentSlots(heavy, 4, { vcpus: 192, memoryGiB: 374 })).toBe(6);
    expect(hostAgentSlots(heavy, 4, { vcpus: 192, memoryGiB: 360 + 32 / 1_024 })).toBe(6);
    expect(hostAgentSlots(heavy, 4, { vcpus: 192, memoryGiB: 360 })).toBe(5);
    expect(hostAgentSlots(light, 16, { vcpus: 192, memoryGiB: 374 })).toBe(24);
    // A c6i.32xlarge (128 vCPU, 256 GiB; 249 GiB reported is an estimate too): four heavy, 16 light.
    expect(hostAgentSlots(heavy, 4, { vcpus: 128, memoryGiB: 249 })).toBe(4);
    expect(hostAgentSlots(light, 16, { vcpus: 128, memoryGiB: 249 })).toBe(16);
    // Memory binds before CPUs: 310 GiB holds five heavy agents.
    expect(hostAgentSlots(heavy, 4, { vcpus: 192, memoryGiB: 310 })).toBe(5);
  });

  it('counts by the job size the construct registered, not the tier default', () => {
    // Heavy jobs of 48 vCPU / 90 GiB: four fit a c7i.48xlarge by CPUs, and memory allows four.
    expect(hostAgentSlots({ vcpus: 48, memoryMiB: 90 * 1_024 }, 4, { vcpus: 192, memoryGiB: 374 })).toBe(4);
  });

  it('keeps the configured count on a host too small for one agent', () => {
    expect(hostAgentSlots(heavy, 4, { vcpus: 8, memoryGiB: 16 })).toBe(4);
  });
});
