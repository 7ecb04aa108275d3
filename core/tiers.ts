/** The two machine classes proofs run on. */
export type Tier = 'heavy' | 'light';

export const TIERS: readonly Tier[] = ['heavy', 'light'];

/** What an agent of each tier is sized for (AWS Batch instances). */
export interface TierShape {
  readonly vcpus: number;
  readonly memoryGiB: number;
}

export const TIER_SHAPES: Readonly<Record<Tier, TierShape>> = {
  heavy: { vcpus: 32, memoryGiB: 64 },
  light: { vcpus: 8, memoryGiB: 16 },
};

/** What one agent's Batch job asks for: the vCPUs and memory (MiB) Batch places it by. */
export interface AgentJobSize {
  readonly vcpus: number;
  readonly memoryMiB: number;
}

/**
 * The share of its tier's memory an agent's job asks for. Batch places a job only where the ECS agent has
 * *registered* that much memory free, and ECS registers less than the instance's nominal memory (the kernel's share,
 * then `ECS_RESERVED_MEMORY`: "an m4.large instance has 8 GiB of installed memory … 7985 MiB available for jobs";
 * https://docs.aws.amazon.com/batch/latest/userguide/memory-management.html). So a job asking for exactly 64 GiB never
 * fits six to a 384 GiB instance, nor one to a 64 GiB one. A sixteenth is left: 6 × 60 GiB on a c7i.48xlarge leaves
 * 24 GiB for the kernel, the ECS agent and Docker.
 */
export const AGENT_JOB_MEMORY_SHARE = 15 / 16;

/**
 * The memory the Batch compute resource AMI keeps from jobs for the ECS agent and system processes
 * (https://docs.aws.amazon.com/batch/latest/userguide/ecs-reserved-memory.html).
 */
export const ECS_RESERVED_MEMORY_MIB = 32;

/**
 * An agent's job: its tier's vCPUs (on EC2 Batch's VCPU is a placement reservation and Docker `--cpu-shares`, a relative
 * weight, not a cap: Batch API reference, ContainerProperties.vcpus) and `AGENT_JOB_MEMORY_SHARE` of its memory (a hard
 * limit). Heavy 32 vCPU / 60 GiB, light 8 vCPU / 15 GiB: one job per vCPU share, so an instance of k × the tier's
 * vCPUs hosts k agents when its registered memory allows.
 */
export function agentJobSize(tier: Tier): AgentJobSize {
  const shape = TIER_SHAPES[tier];
  return { vcpus: shape.vcpus, memoryMiB: shape.memoryGiB * 1_024 * AGENT_JOB_MEMORY_SHARE };
}

/**
 * The share of an instance's nominal memory assumed registered with ECS, where no better figure is known: AWS documents
 * it only by example (97.5 % on an m4.large; ECS users report 95.5–97.9 %, sources in sim/model/model.ts), so a
 * parameter, on the low side. Below 93.8 % a c7i.48xlarge holds five heavy agents, not six.
 */
export const DEFAULT_REGISTERED_MEMORY_SHARE = 0.95;

/** An EC2 instance type as Batch packs jobs onto it. */
export interface InstanceShape {
  readonly vcpus: number;
  readonly memoryGiB: number;
}

/**
 * How many agent jobs of size `job` Batch can place on one instance: as many as its vCPUs and its registered memory
 * hold. `registeredMemoryShare` is the share of the nominal memory the kernel leaves to the ECS agent, which AWS
 * documents only by example (97.5 % on an m4.large); `ECS_RESERVED_MEMORY_MIB` comes off that. The one rule of slots:
 * the construct, the simulator and the agent counting its own host all use it.
 */
export function jobsPerInstance(instance: InstanceShape, job: AgentJobSize, registeredMemoryShare: number): number {
  const registeredMiB = instance.memoryGiB * 1_024 * registeredMemoryShare - ECS_RESERVED_MEMORY_MIB;
  return Math.max(0, Math.min(Math.floor(instance.vcpus / job.vcpus), Math.floor(registeredMiB / job.memoryMiB)));
}

/** How many agents of `tier`, at the tier's default job size (`agentJobSize`), Batch can place on one instance. */
export function agentsPerInstance(instance: InstanceShape, tier: Tier, registeredMemoryShare: number): number {
  return jobsPerInstance(instance, agentJobSize(tier), registeredMemoryShare);
}

/**
 * The most jobs of size `job` a compute environment capped at `vcpus` holds on instances shaped like `instance`
 * (`jobsPerInstance` each): the whole instances the cap allows, and the rest of the cap as a smaller instance with the
 * same memory per vCPU. Below `vcpus / job.vcpus` when memory binds (a job asking for more memory per vCPU than the
 * instance registers). That rest is an approximation: Batch cannot launch part of an instance (it launches a whole one
 * of the types it may use, and may exceed maxvCpus by one instance).
 */
export function jobsWithinVcpus(vcpus: number, instance: InstanceShape, job: AgentJobSize, registeredMemoryShare: number): number {
  const whole = Math.floor(vcpus / instance.vcpus);
  const rest = vcpus - whole * instance.vcpus;
  const part = { vcpus: rest, memoryGiB: (instance.memoryGiB * rest) / instance.vcpus };
  return whole * jobsPerInstance(instance, job, registeredMemoryShare) + jobsPerInstance(part, job, registeredMemoryShare);
}
