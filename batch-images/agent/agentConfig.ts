import { hostname } from 'node:os';
import { z } from 'zod';
import { DEFAULT_AGENT_SETTINGS, type AgentSettings } from '../../core/agent/agentSettings.js';
import { agentJobSize, type AgentJobSize } from '../../core/tiers.js';
import { pipelineConfigSchema } from '../../runtime/aws/config.js';

const ms = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);

/** An agent container's environment: the pipeline, its tier, its prover backend and how it paces itself. */
export const agentConfigSchema = pipelineConfigSchema
  .extend({
    AGENT_TIER: z.enum(['heavy', 'light']),
    /**
     * `simulated`: the devnet's SIMULATED prover, attesting roots with PROVER_DEV_PRIVATE_KEY (tests only);
     * `simulated-kms`: the same, attesting with the KMS key ATTESTER_KMS_KEY_ID; `command`: PROVER_COMMAND;
     * `barretenberg`: real noir-tree proofs (CIRCUIT_PROFILE noir-tree) with bb from @aztec/bb.js.
     */
    PROVER_BACKEND: z.enum(['simulated', 'simulated-kms', 'command', 'barretenberg']),
    /**
     * The barretenberg backend's setup: `ignition` fetches Aztec's genuine points once (digest-checked, cached);
     * `development` makes the τ = 2 SRS anyone can forge proofs for (tests, never where proofs have value).
     */
    NOIR_TREE_SRS: z.enum(['ignition', 'development']).default('ignition'),
    /** Where the SRS and the built circuits are cached (first start fills it). @default ~/.cache/prover-burst */
    PROVER_BURST_CACHE: z.string().min(1).optional(),
    /** The noir-tree circuit sources (the agent image ships them). @default circuits/noir-tree of the repository */
    NOIR_TREE_SOURCES: z.string().min(1).optional(),
    PROVER_DEV_PRIVATE_KEY: z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'must be 0x and 64 hex digits').optional(),
    ATTESTER_KMS_KEY_ID: z.string().min(1).optional(),
    /** The prover command as a JSON array of strings, e.g. ["/opt/prover/bin/prove", "--threads", "32"]. */
    PROVER_COMMAND: z.string().min(1).optional(),
    PROVER_TIMEOUT_MS: z.coerce.number().int().positive().default(3_600_000),
    SIMULATED_TIME_SCALE: z.coerce.number().nonnegative().default(1),
    /** Fault injection for the simulated backend: jobs whose id matches this regular expression always fail. */
    SIMULATED_FAIL_JOB_PATTERN: z.string().min(1).optional(),
    AGENT_VISIBILITY_MS: ms(DEFAULT_AGENT_SETTINGS.visibilityMs),
    AGENT_HEARTBEAT_MS: ms(DEFAULT_AGENT_SETTINGS.heartbeatMs),
    AGENT_WAIT_MS: ms(DEFAULT_AGENT_SETTINGS.waitMs),
    AGENT_IDLE_EXIT_MS: ms(DEFAULT_AGENT_SETTINGS.idleExitMs),
    AGENT_MAX_FAILURES: z.coerce.number().int().positive().default(DEFAULT_AGENT_SETTINGS.maxFailures),
    AGENT_RETRY_DELAY_MS: ms(DEFAULT_AGENT_SETTINGS.retryDelayMs),
    AGENT_STALE_CLAIM_MS: ms(DEFAULT_AGENT_SETTINGS.staleClaimMs),
    AGENT_LEAVE_GRACE_MS: ms(DEFAULT_AGENT_SETTINGS.leaveGraceMs),
    AGENT_LEAVE_CHECK_MS: ms(DEFAULT_AGENT_SETTINGS.leaveCheckMs),
    /** Per other agent on its instance, how long an agent not chosen to leave waits before it asks anyway (docs/fleet.md). */
    AGENT_PACKING_DELAY_MS: ms(DEFAULT_AGENT_SETTINGS.packingDelayMs),
    /** Spot's notice, from its arrival to the interruption: two minutes (`SPOT_NOTICE_MS`, EC2 user guide). */
    AGENT_SPOT_NOTICE_MS: ms(DEFAULT_AGENT_SETTINGS.interruptionNoticeMs),
    /** Kept back from the notice before finishing the proof in hand (`interruptionVerdict`; docs/fleet.md). */
    AGENT_NOTICE_MARGIN_MS: ms(DEFAULT_AGENT_SETTINGS.interruptionMarginMs),
    /** What is left of a proof is taken as this many times longer when judging the notice (≥ 1). */
    AGENT_REMAINING_SAFETY_FACTOR: z.coerce.number().min(1).default(DEFAULT_AGENT_SETTINGS.remainingSafetyFactor),
    /** Time kept for storing and recording a proof finished under the notice. */
    AGENT_UPLOAD_BUDGET_MS: ms(DEFAULT_AGENT_SETTINGS.uploadBudgetMs),
    /**
     * A directory the agents of one instance share (a host volume): each announces itself there so that leaves empty
     * instances whole. Absent: the agent cannot tell who shares its instance and leaves as soon as a leave is due.
     */
    AGENT_PRESENCE_DIR: z.string().min(1).optional(),
    /**
     * Agents one instance hosts, per tier, as the construct configures it (the fewest its instance types host); the
     * agent counts its own host's slots when it can (`hostAgentSlots`) and uses this otherwise.
     */
    HEAVY_AGENTS_PER_INSTANCE: z.coerce.number().int().positive().default(1),
    LIGHT_AGENTS_PER_INSTANCE: z.coerce.number().int().positive().default(1),
    /**
     * The vCPUs and memory (MiB) the agent's Batch job registers, as the construct sets them (its `jobVcpus` /
     * `jobMemory`): the agent counts its host's slots with them (`hostAgentSlots`). @default the tier's `agentJobSize`
     */
    AGENT_JOB_VCPUS: z.coerce.number().positive().optional(),
    AGENT_JOB_MEMORY_MIB: z.coerce.number().int().positive().optional(),
    /** How long a run record is trusted before it is read again (to notice an abandoned run). */
    AGENT_RUN_CACHE_MS: ms(10_000),
    AWS_BATCH_JOB_ID: z.string().min(1).optional(),
    AWS_BATCH_JOB_ARRAY_INDEX: z.string().regex(/^\d+$/).optional(),
    /** An explicit agent id (local runs); Batch containers derive theirs from the job id. */
    AGENT_ID: z.string().min(1).optional(),
  })
  .refine((config) => config.PROVER_BACKEND !== 'simulated' || config.PROVER_DEV_PRIVATE_KEY, {
    message: 'is required when PROVER_BACKEND is simulated',
    path: ['PROVER_DEV_PRIVATE_KEY'],
  })
  .refine((config) => config.PROVER_BACKEND !== 'simulated-kms' || config.ATTESTER_KMS_KEY_ID, {
    message: 'is required when PROVER_BACKEND is simulated-kms',
    path: ['ATTESTER_KMS_KEY_ID'],
  })
  .refine((config) => config.PROVER_BACKEND !== 'command' || config.PROVER_COMMAND, {
    message: 'is required when PROVER_BACKEND is command',
    path: ['PROVER_COMMAND'],
  });
export type AgentConfig = z.infer<typeof agentConfigSchema>;

export function agentSettingsOf(config: AgentConfig): AgentSettings {
  return {
    visibilityMs: config.AGENT_VISIBILITY_MS,
    heartbeatMs: config.AGENT_HEARTBEAT_MS,
    waitMs: config.AGENT_WAIT_MS,
    idleExitMs: config.AGENT_IDLE_EXIT_MS,
    maxFailures: config.AGENT_MAX_FAILURES,
    retryDelayMs: config.AGENT_RETRY_DELAY_MS,
    staleClaimMs: config.AGENT_STALE_CLAIM_MS,
    leaveGraceMs: config.AGENT_LEAVE_GRACE_MS,
    leaveCheckMs: config.AGENT_LEAVE_CHECK_MS,
    packingDelayMs: config.AGENT_PACKING_DELAY_MS,
    secondsPerExpectedSecond: config.EXPECTED_SECOND_SCALE,
    interruptionNoticeMs: config.AGENT_SPOT_NOTICE_MS,
    interruptionMarginMs: config.AGENT_NOTICE_MARGIN_MS,
    remainingSafetyFactor: config.AGENT_REMAINING_SAFETY_FACTOR,
    uploadBudgetMs: config.AGENT_UPLOAD_BUDGET_MS,
  };
}

/** The size of the agent's own Batch job: what the construct registered, else its tier's default. */
export function agentJobSizeOf(config: AgentConfig): AgentJobSize {
  const fallback = agentJobSize(config.AGENT_TIER);
  return { vcpus: config.AGENT_JOB_VCPUS ?? fallback.vcpus, memoryMiB: config.AGENT_JOB_MEMORY_MIB ?? fallback.memoryMiB };
}

/** `<tier>-<batch job id>[:<array index>]` in a Batch container, so leases name the container that holds them. */
export function agentIdOf(config: AgentConfig): string {
  if (config.AGENT_ID) return config.AGENT_ID;
  if (config.AWS_BATCH_JOB_ID) {
    const index = config.AWS_BATCH_JOB_ARRAY_INDEX;
    const jobId = config.AWS_BATCH_JOB_ID.includes(':') || index === undefined ? config.AWS_BATCH_JOB_ID : `${config.AWS_BATCH_JOB_ID}:${index}`;
    return `${config.AGENT_TIER}-${jobId}`;
  }
  return `${config.AGENT_TIER}-${hostname()}-${process.pid}`;
}
