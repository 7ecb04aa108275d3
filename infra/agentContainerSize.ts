import { Size } from 'aws-cdk-lib';
import { TIER_SHAPES } from '../core/tiers.js';
import type { Tier } from '../core/tiers.js';

/** What one agent container asks Batch for. */
export interface AgentContainerSize {
  readonly vcpus: number;
  readonly memory: Size;
}

/**
 * The biggest container that still fits one per instance of the tier's class (heavy 32 vCPU / 64 GiB, light 8 vCPU /
 * 16 GiB): Batch places a job only where the ECS agent has *registered* that much memory, and the ECS-optimized AMI
 * registers about 3–4 % less than the instance's nominal memory (kernel, firmware, the ECS agent and Docker), so asking
 * for all of it leaves the job RUNNABLE forever. We leave a sixteenth of the memory, at least 2 GiB, and one vCPU for
 * the ECS agent, Docker and the log driver, so a busy prover never starves the host's own heartbeats:
 * heavy 31 vCPU / 60 GiB, light 7 vCPU / 14 GiB.
 */
export function agentContainerSize(tier: Tier): AgentContainerSize {
  const shape = TIER_SHAPES[tier];
  const reservedGiB = Math.max(2, shape.memoryGiB / 16);
  return { vcpus: shape.vcpus - 1, memory: Size.gibibytes(shape.memoryGiB - reservedGiB) };
}
