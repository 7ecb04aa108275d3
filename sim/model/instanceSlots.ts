import { agentsPerInstance as agentsFitting, type Tier } from '../../core/tiers.js';
import type { InstanceTypeSpec, SimModel } from './model.js';

/** The instance type a tier launches, with what it costs and how many of the tier's agents it hosts. */
export interface TierInstanceType extends InstanceTypeSpec {
  readonly name: string;
  readonly usdPerHour: { readonly spot: number; readonly onDemand: number };
  readonly agents: number;
}

/** The tier's instance type in the model (its catalogue entry, priced, with its agents per instance). */
export function tierInstanceType(model: SimModel, tier: Tier): TierInstanceType {
  const name = model.ec2.instanceTypes[tier];
  const spec = model.ec2.instanceCatalog[name];
  if (!spec) throw new Error(`no instance type ${name} in the model's catalogue`);
  const onDemand = spec.onDemandUsdPerHour;
  return {
    name,
    ...spec,
    usdPerHour: { spot: onDemand * model.ec2.spotShareOfOnDemand[tier], onDemand },
    agents: agentsFitting(spec, tier, model.ec2.registeredMemoryShare),
  };
}

/** Agents one instance of the tier's type hosts: its vCPUs and registered memory ÷ an agent's job. */
export function agentsPerInstance(model: SimModel, tier: Tier): number {
  return tierInstanceType(model, tier).agents;
}

/** What one agent's seat costs: its instance's price ÷ the agents the instance hosts (idle seats included). */
export function agentUsdPerHour(model: SimModel, tier: Tier): { readonly spot: number; readonly onDemand: number } {
  const type = tierInstanceType(model, tier);
  return { spot: type.usdPerHour.spot / type.agents, onDemand: type.usdPerHour.onDemand / type.agents };
}
