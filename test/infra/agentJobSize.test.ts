import { App, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { agentConfigSchema, agentJobSizeOf } from '../../batch-images/agent/agentConfig.js';
import { hostAgentSlots } from '../../batch-images/agent/hostAgentSlots.js';
import { ProvingOrchestrator } from '../../infra/index.js';
import { ConfigError } from '../../runtime/aws/errors/runtimeErrors.js';
import { readConfig } from '../../runtime/aws/config.js';
import { containerEnvironment, plausibleEnvironment } from './plausibleEnvironment.js';
import { EXAMPLE_ENV } from './synthesizedApp.js';
import { logicalId } from './templateReading.js';

/** A c7i.48xlarge as its kernel might report it (374 GiB: an estimate, see hostAgentSlots.test.ts). */
const C7I_48XLARGE = { vcpus: 192, memoryGiB: 374 };

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;
type HeavyTierSize = { readonly jobVcpus?: number; readonly jobMemory?: Size };

/** The template of an orchestrator whose heavy tier is given `heavy`. */
function orchestratorResources(heavy: HeavyTierSize): Resources {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Sized', { env: EXAMPLE_ENV });
  new ProvingOrchestrator(stack, 'Proving', {
    rollupAddress: '0x5B38Da6a701c568545dCfcB03FcB875f56beddC4',
    l1ChainId: 1,
    stateRootSource: 'devnet-transition',
    heavy,
  });
  return Template.fromStack(stack).toJSON().Resources as Resources;
}

describe('an agent tier given its own job size (jobVcpus / jobMemory)', () => {
  let resources: Resources;
  beforeAll(() => {
    resources = orchestratorResources({ jobVcpus: 48, jobMemory: Size.gibibytes(90) });
  });
  const definition = (tier: 'Heavy' | 'Light') => resources[logicalId(resources, 'AWS::Batch::JobDefinition', `${tier}Agents`)]!;
  const requirements = (tier: 'Heavy' | 'Light') =>
    (definition(tier).Properties!.ContainerProperties as { ResourceRequirements: { Type: string; Value: string }[] }).ResourceRequirements;

  it('registers that size and tells its agents the same, so they count their host by it', () => {
    expect(requirements('Heavy')).toEqual(expect.arrayContaining([{ Type: 'VCPU', Value: '48' }, { Type: 'MEMORY', Value: '92160' }]));
    const heavy = agentConfigSchema.parse(plausibleEnvironment(resources, containerEnvironment(definition('Heavy'))));
    expect(agentJobSizeOf(heavy)).toEqual({ vcpus: 48, memoryMiB: 92_160 });
    // Four 48-vCPU jobs on a c7i.48xlarge, where the tier's default 32-vCPU jobs would be six.
    expect(hostAgentSlots(agentJobSizeOf(heavy), heavy.HEAVY_AGENTS_PER_INSTANCE, C7I_48XLARGE)).toBe(4);
    // The fewest a default type (c6i.32xlarge, 128 vCPU) hosts, as the scaler counts launches: two such jobs.
    expect(heavy.HEAVY_AGENTS_PER_INSTANCE).toBe(2);
  });

  it('leaves the other tier at its default size', () => {
    expect(requirements('Light')).toEqual(expect.arrayContaining([{ Type: 'VCPU', Value: '8' }, { Type: 'MEMORY', Value: '15360' }]));
    const light = agentConfigSchema.parse(plausibleEnvironment(resources, containerEnvironment(definition('Light'))));
    expect(agentJobSizeOf(light)).toEqual({ vcpus: 8, memoryMiB: 15_360 });
    expect(light.LIGHT_AGENTS_PER_INSTANCE).toBe(16);
  });

  it('refuses a job size that is not a positive number, naming the variable', () => {
    const environment = plausibleEnvironment(resources, containerEnvironment(definition('Heavy')));
    for (const [variable, value] of [['AGENT_JOB_VCPUS', 'zero'], ['AGENT_JOB_VCPUS', '0'], ['AGENT_JOB_MEMORY_MIB', '-1'], ['AGENT_JOB_MEMORY_MIB', '1.5']] as const) {
      const read = () => readConfig(agentConfigSchema, { ...environment, [variable]: value });
      expect(read).toThrow(ConfigError);
      expect(read).toThrow(new RegExp(`${variable} .*\\(got "${value.replace('.', '\\.')}"\\)`));
    }
  });
});

describe("the scaler's agent cap under a tier's own job size", () => {
  /** The scaler's MAX_HEAVY_AGENTS and MAX_LIGHT_AGENTS for a heavy tier given `heavy`. */
  function scalerCaps(heavy: HeavyTierSize) {
    const resources = orchestratorResources(heavy);
    const scaler = resources[logicalId(resources, 'AWS::Lambda::Function', 'ScalerFunction')]!;
    const variables = (scaler.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
    return { heavy: variables.MAX_HEAVY_AGENTS, light: variables.MAX_LIGHT_AGENTS };
  }

  it("counts the memory the job asks for: 120-GiB heavy jobs fit three to a 48xlarge, so 8,192 + 2,048 vCPUs hold 160, not 320", () => {
    // Spot 8,192 vCPUs: 42 c7i.48xlarge × 3 + 2 on the 128 vCPUs left; on demand 2,048: 10 × 3 + 2.
    expect(scalerCaps({ jobMemory: Size.gibibytes(120) })).toEqual({ heavy: '160', light: String(10_240 / 8) });
  });

  it("where every default type fits the job equally, is each compute environment's vCPUs over the job's: the default size", () => {
    expect(scalerCaps({})).toEqual({ heavy: String(10_240 / 32), light: String(10_240 / 8) });
  });

  it('counts on the default type that holds the fewest, since Batch picks the types: 48-vCPU / 90-GiB jobs give 160, not 212', () => {
    // A c7i.48xlarge holds 4 (one per 48 vCPUs: ⌊8,192 / 48⌋ + ⌊2,048 / 48⌋ = 212), a c6i.32xlarge 2 (one per 64:
    // 8,192 / 64 + 2,048 / 64 = 128 + 32); an environment Batch fills with c6i.32xlarge runs 160.
    expect(scalerCaps({ jobVcpus: 48, jobMemory: Size.gibibytes(90) })).toEqual({ heavy: '160', light: String(10_240 / 8) });
  });
});
