import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { agentJobSize, agentsPerInstance, TIERS } from '../../core/tiers.js';
import { SimModelError } from '../errors/index.js';
import { DEFAULT_SIM_MODEL, type SimModel } from './model.js';

const positive = z.number().positive();
const nonNegative = z.number().nonnegative();
const fraction = z.number().min(0).max(1);
const distribution = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed'), value: nonNegative }),
  z.strictObject({ kind: z.literal('uniform'), min: nonNegative, max: nonNegative }).refine((d) => d.max >= d.min, 'max must be ≥ min'),
  z.strictObject({ kind: z.literal('logNormal'), median: positive, sigma: nonNegative }),
]);
const perTier = <T extends z.ZodType>(value: T) => z.strictObject({ heavy: value, light: value });

/** What a complete model must satisfy, key for key (unknown keys are typos, so they are refused). */
const modelSchema = z.strictObject({
  proofs: z.strictObject({ spreadSigma: nonNegative }),
  batch: z.strictObject({
    apiCallsPerSecond: positive,
    maxArraySize: z.number().int().positive(),
    listJobsPageSize: z.number().int().positive(),
    schedulingSeconds: distribution,
    containerStartSeconds: distribution,
  }),
  ec2: z.strictObject({
    launchBucket: z.strictObject({ burst: z.number().int().positive(), refillPerSecond: positive }),
    launchSeconds: distribution,
    bootSeconds: distribution,
    imagePullSeconds: distribution,
    scaleInSeconds: distribution,
    billingMinimumSeconds: nonNegative,
    instanceCatalog: z.record(z.string().min(1), z.strictObject({ vcpus: z.number().int().positive(), memoryGiB: positive, onDemandUsdPerHour: positive })),
    instanceTypes: perTier(z.string().min(1)),
    spotShareOfOnDemand: perTier(z.number().positive().max(1)),
    registeredMemoryShare: z.number().positive().max(1),
  }),
  spot: z.strictObject({ interruptionsPerInstanceHour: nonNegative, noticeSeconds: nonNegative }),
  latencyMs: z.strictObject({ sqs: distribution, dynamodb: distribution, s3Get: distribution, s3Put: distribution }),
  account: z.strictObject({ maxVcpus: perTier(positive) }),
  agent: z.strictObject({
    visibilityMs: positive,
    heartbeatMs: positive,
    waitMs: nonNegative,
    idleExitMs: nonNegative,
    maxFailures: z.number().int().positive(),
    retryDelayMs: nonNegative,
    staleClaimMs: nonNegative,
    leaveGraceMs: nonNegative,
    leaveCheckMs: nonNegative,
    packingDelayMs: nonNegative,
    interruptionNoticeMs: nonNegative,
    interruptionMarginMs: nonNegative,
    remainingSafetyFactor: z.number().min(1),
    uploadBudgetMs: nonNegative,
    runTtlMs: nonNegative,
    planBuildSeconds: distribution,
  }),
  queue: z.strictObject({ maxReceiveCount: z.number().int().positive(), lanes: z.array(z.number().nonnegative()) }),
  scaling: z.strictObject({ tickSeconds: positive, urgentSlackSeconds: nonNegative, targetStretch: z.number().min(1), scaleDownHoldSeconds: nonNegative, launchAware: z.boolean() }),
  controlPlane: z.strictObject({
    scalerLambdaSeconds: nonNegative,
    plannerLambdaSeconds: nonNegative,
    lambdaMemoryMb: positive,
    runTransitions: nonNegative,
    transitionsPerTick: nonNegative,
    prices: z.strictObject({
      lambdaPerGbSecond: nonNegative,
      lambdaPerRequest: nonNegative,
      stepFunctionsPerTransition: nonNegative,
      dynamodbPerWriteUnit: nonNegative,
      dynamodbPerReadUnit: nonNegative,
      sqsPerRequest: nonNegative,
      s3PerPut: nonNegative,
      s3PerGet: nonNegative,
    }),
  }),
  faults: z.strictObject({
    spotStorm: z.strictObject({ atSeconds: nonNegative, fraction }),
    kill: z.strictObject({ atSeconds: nonNegative, fraction }),
  }),
  reactive: z.strictObject({ messagesPerAgent: positive, pollingSeconds: positive, idleExitMs: nonNegative, cooldownSeconds: nonNegative }),
}).superRefine((model, context) => {
  // Each tier launches a type the catalogue knows, big enough for at least one of its agents.
  for (const tier of TIERS) {
    const name = model.ec2.instanceTypes[tier];
    const spec = model.ec2.instanceCatalog[name];
    const path = ['ec2', 'instanceTypes', tier];
    if (!spec) context.addIssue({ code: 'custom', path, message: `${name} is not in ec2.instanceCatalog (${Object.keys(model.ec2.instanceCatalog).join(', ')})` });
    else if (agentsPerInstance(spec, tier, model.ec2.registeredMemoryShare) < 1) {
      const job = agentJobSize(tier);
      context.addIssue({ code: 'custom', path, message: `${name} cannot host one ${tier} agent (${job.vcpus} vCPU, ${job.memoryMiB} MiB)` });
    }
  }
});

/**
 * The default model with `override` laid over it: objects merge key by key, anything else (and any distribution,
 * an object with a `kind`) replaces. The result is
 * checked whole, so an override can only produce a model the simulator accepts; `source` names it in errors.
 */
export function mergeSimModel(override: unknown, source = 'override'): SimModel {
  const merged = deepMerge(DEFAULT_SIM_MODEL, override);
  const result = modelSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.join('.');
    throw new SimModelError(source, `${path === '' ? 'the model' : path}: ${issue.message}`);
  }
  return result.data;
}

/** Reads a JSON override of the default model from `path` (see `mergeSimModel`). */
export function loadSimModel(path: string): SimModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SimModelError(path, `cannot be read (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SimModelError(path, `is not JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new SimModelError(path, 'must be a JSON object');
  return mergeSimModel(json, path);
}

/**
 * Several overrides laid over one another into one (later ones win, by `mergeSimModel`'s rule), so a what-if made of
 * several files (`sim/whatif/`) can be written out as one `--model` file. Not checked: `mergeSimModel` checks the result.
 */
export function combineModelOverrides(overrides: readonly unknown[]): unknown {
  return overrides.reduce<unknown>((combined, override) => deepMerge(combined, override), {});
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  // A distribution is one value: a fixed one replacing a log-normal must not keep the log-normal's median.
  if ('kind' in override) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = deepMerge(base[key], value);
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
