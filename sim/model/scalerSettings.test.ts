import { describe, expect, it } from 'vitest';
import { DEFAULT_SIM_MODEL, type SimModel } from './model.js';
import { agentJobSize, jobsWithinVcpus } from '../../core/tiers.js';
import { tierInstanceType } from './instanceSlots.js';
import { maxAgentsOf, provisioningSeconds, scalerSettingsFor } from './scalerSettings.js';

const fixed = (value: number) => ({ kind: 'fixed', value }) as const;

describe('provisioningSeconds', () => {
  it('adds every part of a fresh agent’s start-up, the container start included, and its plan build', () => {
    const model: SimModel = {
      ...DEFAULT_SIM_MODEL,
      batch: { ...DEFAULT_SIM_MODEL.batch, schedulingSeconds: fixed(1), containerStartSeconds: fixed(16) },
      ec2: { ...DEFAULT_SIM_MODEL.ec2, launchSeconds: fixed(2), bootSeconds: fixed(4), imagePullSeconds: fixed(8) },
      agent: { ...DEFAULT_SIM_MODEL.agent, planBuildSeconds: fixed(32) },
    };
    // 1 + 2 + 4 + 8 + 16 + 32: each part counted once, at any quantile.
    expect(provisioningSeconds(model, 0.01)).toBe(63);
    expect(provisioningSeconds(model, 0.75)).toBe(63);
  });
});

describe('maxAgentsOf', () => {
  it("counts the agents the account's maxvCpus hold on the model's type by vCPUs and memory, as the fleet packs them", () => {
    // Below a 93.8 % registered share a c7i.48xlarge hosts five heavy agents, not six: the cap follows (about 5/6 of
    // the vCPUs' count), where vCPUs alone would give maxVcpus ÷ 32.
    const model: SimModel = { ...DEFAULT_SIM_MODEL, ec2: { ...DEFAULT_SIM_MODEL.ec2, registeredMemoryShare: 0.93 } };
    const heavyVcpus = model.account.maxVcpus.heavy;
    expect(tierInstanceType(model, 'heavy').agents).toBe(5);
    expect(maxAgentsOf(model).heavy).toBe(jobsWithinVcpus(heavyVcpus, tierInstanceType(model, 'heavy'), agentJobSize('heavy'), 0.93));
    expect(maxAgentsOf(model).heavy).toBeLessThan(heavyVcpus / agentJobSize('heavy').vcpus);
    expect(scalerSettingsFor(model).maxAgents).toEqual(maxAgentsOf(model));
  });

  it('is the vCPUs over the job where memory does not bind (the default model)', () => {
    const { heavy, light } = DEFAULT_SIM_MODEL.account.maxVcpus;
    expect(maxAgentsOf(DEFAULT_SIM_MODEL)).toEqual({ heavy: heavy / agentJobSize('heavy').vcpus, light: light / agentJobSize('light').vcpus });
  });
});
