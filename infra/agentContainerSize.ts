import { Size } from 'aws-cdk-lib';
import { agentJobSize } from '../core/tiers.js';
import type { AgentJobSize, Tier } from '../core/tiers.js';

/** What one agent container asks Batch for. */
export interface AgentContainerSize {
  readonly vcpus: number;
  readonly memory: Size;
}

/**
 * One agent's container (core's `agentJobSize`): the tier's vCPUs and 15/16 of its memory, so Batch packs as many
 * agents onto an instance as its vCPUs and the memory ECS *registers* hold. ECS registers less than the nominal memory
 * (Batch user guide, "Compute resource memory management": 7,985 of an m4.large's 8,192 MiB; the AMI keeps 32 MiB
 * more), so a job asking for its tier's whole 64 GiB would never fit six to a c7i.48xlarge (384 GiB), nor one to a
 * c7i.8xlarge. VCPU on EC2 is Docker `--cpu-shares` (a weight, not a cap: Batch API reference), so asking for all of an
 * instance's vCPUs leaves the host's ECS agent and Docker runnable; memory is a hard limit.
 * Heavy 32 vCPU / 60 GiB (6 per c7i.48xlarge, 4 per c6i.32xlarge, 1 per c7i.8xlarge), light 8 vCPU / 15 GiB (24, 16, 1
 * per c7i.2xlarge).
 */
export function agentContainerSize(tier: Tier): AgentContainerSize {
  const job = agentJobSize(tier);
  return { vcpus: job.vcpus, memory: Size.mebibytes(job.memoryMiB) };
}

/** A tier's container as the construct registers it: `jobVcpus` / `jobMemory` when given, else `agentContainerSize`. */
export function registeredContainerSize(tier: Tier, overrides: { readonly jobVcpus?: number; readonly jobMemory?: Size }): AgentContainerSize {
  const size = agentContainerSize(tier);
  return { vcpus: overrides.jobVcpus ?? size.vcpus, memory: overrides.jobMemory ?? size.memory };
}

/** The container's size as core counts slots with it (`jobsPerInstance`). */
export function jobSizeOf(container: AgentContainerSize): AgentJobSize {
  return { vcpus: container.vcpus, memoryMiB: container.memory.toMebibytes() };
}
