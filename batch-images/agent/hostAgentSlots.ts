import { cpus, totalmem } from 'node:os';
import { jobsPerInstance, type AgentJobSize, type InstanceShape } from '../../core/tiers.js';

/** What the agent's container sees of its host: Docker shows a Batch container the host's CPUs and memory. */
export function hostShape(): InstanceShape {
  return { vcpus: cpus().length, memoryGiB: totalmem() / 2 ** 30 };
}

/**
 * Agents with jobs of size `job` (what the construct registers, AGENT_JOB_VCPUS / AGENT_JOB_MEMORY_MIB) this host holds.
 * The construct can only tell agents the fewest its instance types host (a c6i.32xlarge: 4 heavy / 16 light), while
 * Batch may have launched a c7i.48xlarge (6 / 24); only the host knows. The memory the kernel reports is already what
 * is left after its own share, so all of it counts as registered (less the Batch AMI's reserve). A host too small for
 * one agent (a laptop) keeps the configured count.
 */
export function hostAgentSlots(job: AgentJobSize, configured: number, host: InstanceShape = hostShape()): number {
  const fitting = jobsPerInstance(host, job, 1);
  return fitting >= 1 ? fitting : configured;
}
