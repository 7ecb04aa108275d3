import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { InstanceType } from 'aws-cdk-lib/aws-ec2';
import { z } from 'zod';
import { STATE_ROOT_SOURCES } from '../runtime/aws/stateRoots.js';
import { ProverBackend } from './proverBackend.js';
import type { AgentTierOptions, ProvingOrchestratorProps } from './provingOrchestrator.js';
import { AppContextError } from './errors/infraErrors.js';

/** A context value that is `true`/`false` in cdk.json or the text "true"/"false" from `-c`. */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((text) => text === 'true')]);
const count = z.coerce.number().int().nonnegative();
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 20-byte 0x address');
const instanceTypes = z
  .string()
  .min(1)
  .transform((text) => text.split(',').map((name) => new InstanceType(name.trim())));

/**
 * The app's context values (`cdk.json` "context", or `-c key=value`), validated once. Each maps to a
 * ProvingOrchestrator prop; unset ones take the construct's defaults.
 */
export const appContextSchema = z
  .object({
    stackName: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/).default('ProverBurst'),
    /** The deployment account and region; default: the CLI's (CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION). */
    account: z.string().regex(/^\d{12}$/).optional(),
    region: z.string().min(1).optional(),
    rollupAddress: address,
    l1ChainId: z.coerce.number().int().positive(),
    /** Where root proofs' state roots come from; required (no deployment defaults to the devnet's stand-in). */
    stateRootSource: z.enum(STATE_ROOT_SOURCES),
    l1StartBlock: count.optional(),
    l1BlockSeconds: z.coerce.number().positive().optional(),
    /** The name of an existing secret holding the RPC URL; default: the stack creates one. */
    l1RpcSecretName: z.string().min(1).optional(),
    confirmations: count.optional(),
    /** An existing ECC_SECG_P256K1 key; default: the stack creates one. */
    signerKeyArn: z.string().startsWith('arn:').optional(),
    proverId: address.optional(),
    circuitProfile: z.string().min(1).optional(),
    maxTxs: z.coerce.number().int().positive().optional(),
    provingMode: z.enum(['committed', 'open-race', 'prove-all']).optional(),
    proverBackend: z.enum(['simulated', 'command', 'barretenberg']).default('simulated'),
    simulatedTimeScale: z.coerce.number().nonnegative().optional(),
    /** JSON array, e.g. ["/opt/prover/bin/prove","--threads","31"]. */
    proverCommand: z
      .string()
      .transform((text, context) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          context.addIssue({ code: 'custom', message: 'must be a JSON array of strings' });
          return z.NEVER;
        }
      })
      .pipe(z.array(z.string().min(1), 'must be a JSON array of strings').min(1))
      .optional(),
    proverImage: z.string().min(1).optional(),
    heavyInstanceTypes: instanceTypes.optional(),
    lightInstanceTypes: instanceTypes.optional(),
    heavyMaxvCpus: z.coerce.number().int().positive().optional(),
    lightMaxvCpus: z.coerce.number().int().positive().optional(),
    heavyOnDemandMaxvCpus: z.coerce.number().int().positive().optional(),
    lightOnDemandMaxvCpus: z.coerce.number().int().positive().optional(),
    spot: flag.optional(),
    agentMaxFailures: z.coerce.number().int().positive().optional(),
    /** An existing VPC (looked up: needs account and region); default: the stack creates one. */
    vpcId: z.string().startsWith('vpc-').optional(),
    natGateways: count.optional(),
    maxAzs: z.coerce.number().int().min(1).optional(),
    vpcEndpoints: flag.optional(),
    artifactRetentionDays: z.coerce.number().int().positive().optional(),
    removalPolicy: z.enum(['retain', 'destroy']).optional(),
    alarmEmail: z.email().optional(),
    alarmTopicArn: z.string().startsWith('arn:').optional(),
    quoteAccess: z.enum(['signed-public', 'iam']).optional(),
  })
  .refine((context) => context.proverBackend !== 'command' || context.proverCommand, {
    message: 'is required when proverBackend is command',
    path: ['proverCommand'],
  });
export type AppContext = z.infer<typeof appContextSchema>;

/** Reads and checks the context; `lookup` is `(key) => app.node.tryGetContext(key)`. */
export function readAppContext(lookup: (key: string) => unknown): AppContext {
  const raw: Record<string, unknown> = Object.fromEntries(
    Object.keys(appContextSchema.shape)
      .map((key): [string, unknown] => [key, lookup(key)])
      .filter(([, value]) => value !== undefined),
  );
  const parsed = appContextSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new AppContextError(
    parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '<context>');
      return { key, problem: issue.message, value: raw[key] };
    }),
  );
}

/** The orchestrator's props from the context; imported resources are resolved by `imports`. */
export function orchestratorPropsOf(
  context: AppContext,
  imports: Pick<ProvingOrchestratorProps, 'l1RpcSecret' | 'signerKey' | 'alarmTopic' | 'vpc'>,
): ProvingOrchestratorProps {
  const tier = (given: { instanceTypes?: InstanceType[] | undefined; maxvCpus?: number | undefined; onDemandMaxvCpus?: number | undefined }): AgentTierOptions | undefined => {
    const options: AgentTierOptions = {
      ...(given.instanceTypes ? { instanceTypes: given.instanceTypes } : {}),
      ...(given.maxvCpus !== undefined ? { maxvCpus: given.maxvCpus } : {}),
      ...(given.onDemandMaxvCpus !== undefined ? { onDemandMaxvCpus: given.onDemandMaxvCpus } : {}),
      ...(context.spot !== undefined ? { spot: context.spot } : {}),
    };
    return Object.keys(options).length > 0 ? options : undefined;
  };
  const heavy = tier({ instanceTypes: context.heavyInstanceTypes, maxvCpus: context.heavyMaxvCpus, onDemandMaxvCpus: context.heavyOnDemandMaxvCpus });
  const light = tier({ instanceTypes: context.lightInstanceTypes, maxvCpus: context.lightMaxvCpus, onDemandMaxvCpus: context.lightOnDemandMaxvCpus });
  const backend =
    context.proverBackend === 'command'
      ? ProverBackend.command(context.proverCommand!, {
          ...(context.proverImage ? { proverImage: context.proverImage } : {}),
        })
      : context.proverBackend === 'barretenberg'
        ? ProverBackend.barretenberg()
        : ProverBackend.simulated(context.simulatedTimeScale !== undefined ? { timeScale: context.simulatedTimeScale } : {});
  // Context keys named like the props they set, passed on only when given.
  const same = ['l1StartBlock', 'l1BlockSeconds', 'confirmations', 'proverId', 'circuitProfile', 'maxTxs', 'provingMode', 'agentMaxFailures', 'natGateways', 'maxAzs', 'vpcEndpoints', 'alarmEmail', 'quoteAccess'] as const;
  const given = Object.fromEntries(same.filter((key) => context[key] !== undefined).map((key) => [key, context[key]])) as Partial<Pick<ProvingOrchestratorProps, (typeof same)[number]>>;
  return {
    ...imports,
    rollupAddress: context.rollupAddress,
    l1ChainId: context.l1ChainId,
    stateRootSource: context.stateRootSource,
    ...given,
    proverBackend: backend,
    ...(heavy ? { heavy } : {}),
    ...(light ? { light } : {}),
    ...(context.artifactRetentionDays ? { artifactRetention: Duration.days(context.artifactRetentionDays) } : {}),
    ...(context.removalPolicy ? { removalPolicy: context.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN } : {}),
  };
}
