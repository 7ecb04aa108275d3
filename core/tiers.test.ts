import { describe, expect, it } from 'vitest';
import { agentJobSize, agentsPerInstance, ECS_RESERVED_MEMORY_MIB, jobsPerInstance, jobsWithinVcpus } from './tiers.js';

describe('agents per instance', () => {
  it('asks for the tier’s vCPUs and fifteen sixteenths of its memory', () => {
    expect(agentJobSize('heavy')).toEqual({ vcpus: 32, memoryMiB: 61_440 });
    expect(agentJobSize('light')).toEqual({ vcpus: 8, memoryMiB: 15_360 });
  });

  it.each([
    ['c7i.8xlarge', 1, 4, { vcpus: 32, memoryGiB: 64 }],
    ['c7i.2xlarge', 0, 1, { vcpus: 8, memoryGiB: 16 }],
    ['c7i.24xlarge', 3, 12, { vcpus: 96, memoryGiB: 192 }],
    ['c7i.48xlarge', 6, 24, { vcpus: 192, memoryGiB: 384 }],
    ['c6i.32xlarge', 4, 16, { vcpus: 128, memoryGiB: 256 }],
    ['m7i.48xlarge', 6, 24, { vcpus: 192, memoryGiB: 768 }],
  ])('%s hosts %i heavy and %i light agents when ECS registers 95 %% of its memory', (_name, heavy, light, instance) => {
    expect(agentsPerInstance(instance, 'heavy', 0.95)).toBe(heavy);
    expect(agentsPerInstance(instance, 'light', 0.95)).toBe(light);
  });

  it('loses a slot once the registered memory cannot hold every job: six heavy agents need 93.75 % and 32 MiB', () => {
    const instance = { vcpus: 192, memoryGiB: 384 };
    const exact = (6 * 61_440 + ECS_RESERVED_MEMORY_MIB) / (384 * 1_024);
    expect(agentsPerInstance(instance, 'heavy', exact)).toBe(6);
    expect(agentsPerInstance(instance, 'heavy', exact - 1e-6)).toBe(5);
    expect(agentsPerInstance(instance, 'heavy', 1)).toBe(6);
  });

  it('counts jobs of any size by the same rule: the fewer of what the vCPUs and the registered memory hold', () => {
    const instance = { vcpus: 192, memoryGiB: 384 };
    expect(jobsPerInstance(instance, agentJobSize('heavy'), 0.95)).toBe(agentsPerInstance(instance, 'heavy', 0.95));
    // 48-vCPU jobs: four by CPUs; 90-GiB jobs: four by memory (364.8 GiB registered); 100-GiB ones: three.
    expect(jobsPerInstance(instance, { vcpus: 48, memoryMiB: 40 * 1_024 }, 0.95)).toBe(4);
    expect(jobsPerInstance(instance, { vcpus: 16, memoryMiB: 90 * 1_024 }, 0.95)).toBe(4);
    expect(jobsPerInstance(instance, { vcpus: 16, memoryMiB: 100 * 1_024 }, 0.95)).toBe(3);
  });
});

describe('jobs within a vCPU cap', () => {
  const c7i48xlarge = { vcpus: 192, memoryGiB: 384 };

  it('is the cap over the job\'s vCPUs while memory does not bind, the rest of the cap counted too', () => {
    // 8,192 vCPUs: 42 whole c7i.48xlarge (6 heavy each) and 128 vCPUs more (4).
    expect(jobsWithinVcpus(8_192, c7i48xlarge, agentJobSize('heavy'), 0.95)).toBe(8_192 / 32);
    expect(jobsWithinVcpus(8_192, c7i48xlarge, agentJobSize('light'), 0.95)).toBe(8_192 / 8);
    expect(jobsWithinVcpus(0, c7i48xlarge, agentJobSize('heavy'), 0.95)).toBe(0);
  });

  it('counts memory when it binds: 120-GiB jobs of 32 vCPUs fit three to a c7i.48xlarge, not six', () => {
    const job = { vcpus: 32, memoryMiB: 120 * 1_024 };
    expect(jobsWithinVcpus(8_192, c7i48xlarge, job, 0.95)).toBe(42 * 3 + 2);
    expect(jobsWithinVcpus(8_192, c7i48xlarge, job, 0.95)).toBeLessThan(8_192 / 32);
  });
});
