import { z } from 'zod';
import { DEFAULT_AGENT_STARTUP_SECONDS, EC2_RUN_INSTANCES_BUCKET } from '../../core/scale/launchRate.js';
import { STATE_ROOT_SOURCES } from './stateRoots.js';
import { ConfigError } from './errors/runtimeErrors.js';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 20-byte hex address');
const optionalText = z.string().min(1).optional();
const positiveInt = z.coerce.number().int().positive();
/** A tier's queues, one per lane, most urgent first: comma-separated URLs. */
const laneUrls = z
  .string()
  .transform((value) => value.split(',').map((url) => url.trim()))
  .pipe(z.array(z.url()).min(1));
/** Lane splits in seconds of slack, comma-separated and ascending (`core/jobs/urgency.ts`); unset: one lane. */
const laneSplits = z
  .string()
  .regex(/^\s*\d+(\.\d+)?\s*(,\s*\d+(\.\d+)?\s*)*$/, 'must be comma-separated seconds, e.g. 300')
  .transform((value) => value.split(',').map(Number))
  .refine((splits) => splits.every((split, i) => i === 0 || split > splits[i - 1]!), 'splits must be strictly ascending');

/** What every process that touches the proving pipeline needs: the table, the bucket, the queues, the machine. */
export const pipelineConfigSchema = z.object({
  JOB_TABLE_NAME: z.string().min(3),
  ARTIFACT_BUCKET: z.string().min(3),
  /** SSE-KMS key for artifacts; unset: the bucket's AWS-managed KMS key. */
  ARTIFACT_KMS_KEY_ID: optionalText,
  /** One URL per lane (most urgent first), as many as QUEUE_LANE_SLACK_SECONDS makes lanes. */
  HEAVY_QUEUE_URL: laneUrls,
  LIGHT_QUEUE_URL: laneUrls,
  /** The lanes' dead-letter queues, in the same order. */
  HEAVY_DLQ_URL: laneUrls.optional(),
  LIGHT_DLQ_URL: laneUrls.optional(),
  /** Where a job message's slack splits the lanes, e.g. 300 for two lanes; unset: one queue per tier. */
  QUEUE_LANE_SLACK_SECONDS: laneSplits.optional(),
  /** The block-run state machine; needed to start runs (the agent only signals them). */
  STATE_MACHINE_ARN: optionalText,
  /** Batch job queues and definitions per tier; without them the process cannot start or stop agents. */
  HEAVY_JOB_QUEUE: optionalText,
  LIGHT_JOB_QUEUE: optionalText,
  HEAVY_ON_DEMAND_JOB_QUEUE: optionalText,
  LIGHT_ON_DEMAND_JOB_QUEUE: optionalText,
  HEAVY_JOB_DEFINITION: optionalText,
  LIGHT_JOB_DEFINITION: optionalText,
  BATCH_SUBMIT_RATE: z.coerce.number().positive().default(50),
  /** Seconds a finished run's item is kept in the table. */
  RUN_RETENTION_SECONDS: positiveInt.default(7 * 86_400),
  /**
   * Wall seconds per expected second of proving (1 with real provers; the simulated prover's time scale): the scaler
   * sizes with it, and every job message's latest start is reckoned on it (`latestStartOf`), whoever sends it.
   */
  EXPECTED_SECOND_SCALE: z.coerce.number().positive().default(1),
});
export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;

/** Where L1 is and who we are on it: every block-run state and the watcher read it. */
const l1Fields = {
  /** The L1 JSON-RPC URL in plain text (tests, devnets); production keeps it in Secrets Manager. */
  L1_RPC_URL: z.url().optional(),
  /** A secret whose value is the RPC URL, or JSON with a `url` field. */
  L1_RPC_SECRET_ARN: optionalText,
  L1_CHAIN_ID: positiveInt,
  ROLLUP_ADDRESS: address,
  PROVER_ID: address,
  CIRCUIT_PROFILE: z.string().default('rfp-2023'),
  MAX_TXS: positiveInt.default(61_440),
  /** Where root proofs' state roots come from (./stateRoots.ts); required: no deployment defaults to a stand-in. */
  STATE_ROOT_SOURCE: z.enum(STATE_ROOT_SOURCES),
};

const oneRpcSource: [
  (config: { L1_RPC_URL?: string | undefined; L1_RPC_SECRET_ARN?: string | undefined }) => boolean,
  { message: string; path: string[] },
] = [
  (config) => Boolean(config.L1_RPC_URL) !== Boolean(config.L1_RPC_SECRET_ARN),
  { message: 'set exactly one of L1_RPC_URL and L1_RPC_SECRET_ARN', path: ['L1_RPC_URL'] },
];

/** The planner Lambda: the pipeline, plus the L1 it reads bodies from and the firm's proving settings. */
export const plannerConfigSchema = pipelineConfigSchema.extend(l1Fields).refine(...oneRpcSource);

/**
 * Every other block-run state (provision, prove, submit, confirm, settle, abandon), the watcher and the quote API:
 * the planner's configuration, plus the L1 signer, scaling limits, the proving policy and the cost model.
 */
export const blockRunConfigSchema = pipelineConfigSchema
  .extend({
    ...l1Fields,
    /** The KMS key (ECC_SECG_P256K1) that signs L1 transactions and quotes; required where the process signs. */
    SIGNER_KMS_KEY_ID: optionalText,
    L1_CONFIRMATIONS: z.coerce.number().int().min(0).default(2),
    /** The L1 block the rollup was deployed at: where the watcher starts without a cursor. */
    L1_START_BLOCK: z.coerce.bigint().default(0n),
    /** L1's block time: the watcher reads L1 this often within one invocation. */
    L1_BLOCK_SECONDS: z.coerce.number().positive().default(12),
    /** How long one watcher invocation keeps following L1 (the schedule starts a new one each minute). */
    WATCH_SECONDS: z.coerce.number().nonnegative().default(50),
    PROVING_MODE: z.enum(['committed', 'open-race', 'prove-all']).default('open-race'),
    MAX_HEAVY_AGENTS: positiveInt.default(256),
    MAX_LIGHT_AGENTS: positiveInt.default(1_024),
    URGENT_SLACK_SECONDS: z.coerce.number().nonnegative().default(120),
    /** Agents one instance of each tier's type hosts (the construct's instance types ÷ an agent's shape). */
    HEAVY_AGENTS_PER_INSTANCE: positiveInt.default(1),
    LIGHT_AGENTS_PER_INSTANCE: positiveInt.default(1),
    /** EC2's RunInstances resource bucket for the account and region (1,000 and 2/s unless AWS raised them). */
    LAUNCH_BUCKET_INSTANCES: positiveInt.default(EC2_RUN_INSTANCES_BUCKET.burstInstances),
    LAUNCH_INSTANCES_PER_SECOND: z.coerce.number().positive().default(EC2_RUN_INSTANCES_BUCKET.instancesPerSecond),
    /** Seconds from SubmitJob to a fresh agent's first poll on a new instance; undocumented by AWS, a parameter. */
    AGENT_STARTUP_SECONDS: z.coerce.number().nonnegative().default(DEFAULT_AGENT_STARTUP_SECONDS),
    COST_USD_PER_ETH: z.coerce.number().positive().default(3_000),
    COST_MARGIN: z.coerce.number().nonnegative().default(0.25),
    /** The bond quotes offer, in wei; raised to the protocol minimum when lower. */
    QUOTE_BOND_WEI: z.coerce.bigint().default(0n),
    /**
     * Tokens quoting assumes are left in EC2's RunInstances bucket (at most 1,000): EC2 does not say, and anything
     * else launching in the account spends them. 0 (the refill only) is the safe side; see docs/fleet.md.
     */
    QUOTE_LAUNCH_TOKENS: z.coerce.number().nonnegative().default(0),
  })
  .refine(...oneRpcSource);
export type BlockRunConfig = z.infer<typeof blockRunConfigSchema>;

export type PlannerConfig = z.infer<typeof plannerConfigSchema>;

/** Parses `env` with `schema`, once, at the edge; a bad variable fails with every problem named. */
export function readConfig<Schema extends z.ZodType>(schema: Schema, env: NodeJS.ProcessEnv = process.env): z.infer<Schema> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? '<env>');
      // Name the bad variable but never echo a key into the logs.
      const secret = /PRIVATE_KEY|PASSWORD|TOKEN|SECRET(?!_ARN)/.test(variable);
      return { variable, problem: issue.message, value: secret && env[variable] ? '<redacted>' : env[variable] };
    }),
  );
}
