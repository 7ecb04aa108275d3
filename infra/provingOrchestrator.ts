import { ArnFormat, Duration, RemovalPolicy, Stack, type Size } from 'aws-cdk-lib';
import { InstanceClass, InstanceSize, InstanceType, type IVpc, type SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { ManagedPolicy, Policy, PolicyStatement, Role, ServicePrincipal, type Grant, type IGrantable, type IRole } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage, type IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_COST_MODEL } from '../core/cost/costModel.js';
import { CIRCUIT_PROFILES, DEFAULT_CIRCUIT_PROFILE } from '../core/profiles/getCircuitProfile.js';
import { DEFAULT_REGISTERED_MEMORY_SHARE, jobsPerInstance, jobsWithinVcpus, TIER_SHAPES, TIERS, type InstanceShape, type Tier } from '../core/tiers.js';
import { BlockRunStateMachine } from './blockRun/blockRunStateMachine.js';
import { BatchAgentTier, type BatchAgentTierProps } from './constructs/batchAgentTier.js';
import { InstanceTypeOfferings } from './constructs/instanceTypeOfferings.js';
import { ProverFunction } from './constructs/proverFunction.js';
import { ProverNetwork } from './constructs/proverNetwork.js';
import { ProvingObservability } from './constructs/provingObservability.js';
import { ProvingStorage } from './constructs/provingStorage.js';
import { QuoteEndpoint, type QuoteAccess, type QuoteThrottle } from './constructs/quoteEndpoint.js';
import { SignerAddress } from './constructs/signerAddress.js';
import { TierWorkQueues } from './constructs/tierWorkQueues.js';
import { acknowledge, arnToken, nagString } from './constructs/acknowledge.js';
import { DEAD_LETTER_QUEUE_FINDING, acknowledgeFindings } from './constructs/validatorFindings.js';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ProverBackend } from './proverBackend.js';
import { jobSizeOf, registeredContainerSize } from './agentContainerSize.js';
import { STATE_ROOT_SOURCES, type StateRootSource } from '../runtime/aws/stateRoots.js';

/** When the watcher starts block runs (core/policy/decideToProve.ts). */
export type ProvingMode = 'committed' | 'open-race' | 'prove-all';

/** One tier's machines and agents. */
export interface AgentTierOptions {
  /**
   * Instance types of both compute environments; each must hold at least one agent container, and Batch places as
   * many as its vCPUs and registered memory allow. The deployment checks them against what the region offers
   * (InstanceTypeOfferings): all of a list given here must be offered. The construct knows the default types' memory;
   * with a list given, the scaler's cap counts the job's vCPUs only.
   * @default those of c7i.48xlarge, c6i.32xlarge and c7a.48xlarge the region offers (at least one), for both tiers:
   *   6 heavy or 24 light agents on a 48xlarge, 4 or 16 on a c6i.32xlarge
   */
  readonly instanceTypes?: InstanceType[];
  /**
   * Agents one launched instance hosts at the least, as the scaler and quoting count launches through EC2's bucket
   * (`HEAVY_/LIGHT_AGENTS_PER_INSTANCE`). Give it with `instanceTypes`: the fewest any listed type hosts.
   * @default with the default types, the fewest they host (a c6i.32xlarge: 4 heavy, 16 light); with `instanceTypes`
   *   given, 1 (the safe side: the scaler then asks for no more than one agent per launch token)
   */
  readonly agentsPerInstance?: number;
  /**
   * The Spot compute environment's vCPU cap.
   * @default 8,192 for both tiers: 256 heavy or 1,024 light instances
   */
  readonly maxvCpus?: number;
  /**
   * The on-demand compute environment's vCPU cap: what the scaler may buy when the deadline is at risk, and where the
   * Spot-first queue spills once Spot is at its cap.
   * @default a quarter of `maxvCpus`
   */
  readonly onDemandMaxvCpus?: number;
  /**
   * Whether the preferred queue uses Spot at all (false: on demand only).
   * @default true
   */
  readonly spot?: boolean;
  /**
   * The most a Spot instance may cost, in percent of the on-demand price.
   * @default 100
   */
  readonly spotBidPercentage?: number;
  /**
   * vCPUs of one agent container (Docker CPU shares: what Batch packs by, not a cap). Given to the agents
   * (AGENT_JOB_VCPUS), which count their host's slots with it, and used for `agentsPerInstance`'s default.
   * @default the tier's vCPUs (agentContainerSize): heavy 32, light 8
   */
  readonly jobVcpus?: number;
  /**
   * Memory of one agent container (a hard limit); given to the agents as AGENT_JOB_MEMORY_MIB, like `jobVcpus`.
   * @default 15/16 of the tier's memory (agentContainerSize), so the instance's registered memory holds every slot:
   *   heavy 60 GiB, light 15 GiB
   */
  readonly jobMemory?: Size;
  /**
   * A running agent is stopped after this; it normally exits after two idle minutes.
   * @default Duration.hours(6)
   */
  readonly jobTimeout?: Duration;
}

export interface ProvingOrchestratorProps {
  /** The rollup contract on L1 (0x-prefixed, 20 bytes). */
  readonly rollupAddress: string;
  /** L1's chain id. */
  readonly l1ChainId: number;
  /**
   * Where root proofs' parent and new state roots come from (STATE_ROOT_SOURCE, runtime/aws/stateRoots.ts).
   * Required: `devnet-transition` (the only source today) is the devnet's stand-in for executing a block, right only
   * for a rollup whose state transition is that stand-in, and a deployment says so rather than inheriting it.
   */
  readonly stateRootSource: StateRootSource;
  /**
   * The L1 block the rollup was deployed at: where the watcher starts on its first run.
   * @default 0
   */
  readonly l1StartBlock?: number;
  /**
   * L1's block time in seconds: the watcher reads L1 this often.
   * @default 12
   */
  readonly l1BlockSeconds?: number;
  /**
   * A Secrets Manager secret holding the L1 RPC URL (the URL, or JSON with a `url` field); it often embeds an API key.
   * @default a new secret with a random placeholder: put the URL in it after the first deployment (the functions fail
   *   with RpcSecretError until then)
   */
  readonly l1RpcSecret?: ISecret;
  /**
   * L1 blocks the watcher stays behind the head, and the submitter waits for.
   * @default 2
   */
  readonly confirmations?: number;
  /**
   * The KMS key that signs L1 transactions and quotes (ECC_SECG_P256K1, SIGN_VERIFY). Its address is the prover id.
   * @default a new key, retained when the stack is deleted (it holds the firm's escrow and rewards)
   */
  readonly signerKey?: IKey;
  /**
   * The prover id: the signer key's address. When set, the deployment fails unless the key signs as this address.
   * @default the signer key's address, read from KMS during deployment
   */
  readonly proverId?: string;
  /**
   * The circuit profile blocks are planned with.
   * @default 'rfp-2023'
   */
  readonly circuitProfile?: string;
  /**
   * Blocks with more transactions are refused.
   * @default 61,440
   */
  readonly maxTxs?: number;
  /**
   * Which blocks to prove: only those we are committed to, also open races that pay more than they cost, or all.
   * @default 'open-race'
   */
  readonly provingMode?: ProvingMode;
  /**
   * What the agents prove with.
   * @default ProverBackend.simulated(): SIMULATED proofs, root attestations signed by the signer key
   */
  readonly proverBackend?: ProverBackend;
  /**
   * The heavy tier (VM / AVM proofs).
   * @default see AgentTierOptions
   */
  readonly heavy?: AgentTierOptions;
  /**
   * The light tier (kernels, rollups, merges).
   * @default see AgentTierOptions
   */
  readonly light?: AgentTierOptions;
  /**
   * Prover failures after which a job is failed for good and its run abandoned; the queues dead-letter a message
   * after three more receives.
   * @default 3
   */
  readonly agentMaxFailures?: number;
  /**
   * Where a job's slack splits each tier's work into SQS lanes, urgent first (QUEUE_LANE_SLACK_SECONDS); [] is one
   * queue per tier. Each lane adds its queue and dead-letter URLs to the functions' environments, which Lambda caps at
   * 4 KB: with no `functionEnvironment`, three lanes fit a stack name of up to 15 characters, two up to 109 (with no
   * byte to spare), one up to 128; each variable `functionEnvironment` adds takes its name, its value and 6 B of
   * punctuation from that margin. A construct whose environments could exceed it throws `LambdaEnvironmentTooLargeError`.
   * @default [300]: two lanes, urgent below 5 minutes of slack
   */
  readonly queueLaneSlackSeconds?: readonly number[];
  /**
   * The VPC for the agents and the functions.
   * @default a new VPC (see natGateways, maxAzs)
   */
  readonly vpc?: IVpc;
  /**
   * Subnets for the agents and functions.
   * @default the private subnets
   */
  readonly vpcSubnets?: SubnetSelection;
  /**
   * NAT gateways of a created VPC: the functions need one to reach an L1 RPC on the internet; AWS traffic uses the
   * endpoints. 0 when the RPC is reachable privately.
   * @default 1
   */
  readonly natGateways?: number;
  /**
   * Availability zones of a created VPC.
   * @default 2 (1 NAT gateway, 12 interface endpoints in each)
   */
  readonly maxAzs?: number;
  /**
   * Create the VPC endpoints (S3 and DynamoDB gateways; SQS, ECR, ECS, Logs, KMS, STS, Step Functions, Secrets Manager,
   * Batch interfaces).
   * @default true for a created VPC, false for an imported one
   */
  readonly vpcEndpoints?: boolean;
  /**
   * Encrypts the table, artifacts, queues, alarm topic and logs. A key passed in must allow CloudWatch Logs and
   * CloudWatch alarms to use it.
   * @default a new key with yearly rotation
   */
  readonly dataKey?: IKey;
  /**
   * How long proofs and block bodies are kept (and finished runs' items in the table).
   * @default Duration.days(7)
   */
  readonly artifactRetention?: Duration;
  /**
   * What happens to the table, the bucket and the data key when the stack is deleted. The signer key is always kept.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Where S3 server access logs of the artifact bucket go.
   * @default none
   */
  readonly accessLogsBucket?: IBucket;
  /**
   * Where alarms go.
   * @default a new KMS-encrypted SNS topic
   */
  readonly alarmTopic?: ITopic;
  /**
   * An email address subscribed to a created alarm topic.
   * @default no subscription
   */
  readonly alarmEmail?: string;
  /**
   * How long function, agent, state machine and flow logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Who can reach the quote API: `signed-public`, a public HTTP API admitting requests signed (EIP-712) by a currently
   * staked sequencer, replay-protected and throttled; or `iam`, an IAM-authenticated function URL in front of the same
   * checks.
   * @default 'signed-public'
   */
  readonly quoteAccess?: QuoteAccess;
  /**
   * The public quote API's throttle over every caller (each sequencer is also held to 30 requests a minute).
   * @default 50 requests a second, bursts of 100
   */
  readonly quoteThrottle?: QuoteThrottle;
  /**
   * Principals allowed to call the quote API when `quoteAccess` is `iam`.
   * @default none: grant with `quoteEndpoint.grantInvoke()`
   */
  readonly quoteInvokers?: IGrantable[];
  /**
   * Extra environment of every function, over the construct's own (e.g. COST_USD_PER_ETH, URGENT_SLACK_SECONDS,
   * QUOTE_BOND_WEI from runtime/aws/config.ts).
   * @default none
   */
  readonly functionEnvironment?: Record<string, string>;
}

/**
 * Large instances that host several agents each: EC2 launches instances through one bucket per account and region
 * (1,000, then 2 a second: core/scale/launchRate.ts), so a c7i.48xlarge bringing up 6 heavy or 24 light agents
 * reaches a fleet 6 or 24 times sooner than one instance per agent. Only large sizes: with BEST_FIT_PROGRESSIVE Batch
 * picks, among the listed types large enough for the queued jobs, the lowest cost per vCPU (Batch user guide,
 * "Instance type allocation strategies"), and every c7i size costs the same per vCPU, so a list with c7i.8xlarge in
 * it may be served by one-agent instances. c6i.32xlarge (4 heavy / 16 light) is the cheapest per vCPU of the three.
 */
const LARGE_INSTANCE_TYPES: readonly InstanceType[] = [
  InstanceType.of(InstanceClass.C7I, InstanceSize.XLARGE48),
  InstanceType.of(InstanceClass.C6I, InstanceSize.XLARGE32),
  InstanceType.of(InstanceClass.C7A, InstanceSize.XLARGE48),
];
const DEFAULT_INSTANCE_TYPES: Readonly<Record<Tier, readonly InstanceType[]>> = { heavy: LARGE_INSTANCE_TYPES, light: LARGE_INSTANCE_TYPES };
/**
 * The default types' vCPUs and memory (EC2 instance types, compute optimized: c7i.48xlarge 192 vCPU / 384 GiB,
 * https://aws.amazon.com/ec2/instance-types/c7i/; c6i.32xlarge 128 / 256, https://aws.amazon.com/ec2/instance-types/c6i/;
 * c7a.48xlarge 192 / 384, https://aws.amazon.com/ec2/instance-types/c7a/), with ECS registering
 * `DEFAULT_REGISTERED_MEMORY_SHARE` (95 %) of the memory.
 */
const LARGE_INSTANCE_SHAPES: readonly InstanceShape[] = [
  { vcpus: 192, memoryGiB: 384 },
  { vcpus: 128, memoryGiB: 256 },
  { vcpus: 192, memoryGiB: 384 },
];
/** The fewest agents a default type hosts at the registered job size: a c6i.32xlarge's 4 heavy, 16 light by default. */
const DEFAULT_AGENTS_PER_INSTANCE = (tier: Tier, options: AgentTierOptions) =>
  Math.min(...LARGE_INSTANCE_SHAPES.map((shape) => jobsPerInstance(shape, jobSizeOf(registeredContainerSize(tier, options)), DEFAULT_REGISTERED_MEMORY_SHARE)));

/**
 * The agents a compute environment capped at `vcpus` surely runs (the scaler's cap, and through `FleetQuota.agents`
 * quoting's): with the default types, the fewest any of them holds by its vCPUs *and* registered memory
 * (`jobsWithinVcpus`), as `DEFAULT_AGENTS_PER_INSTANCE` does, since Batch picks the types (Spot price and capacity),
 * not the best-fitting one; so a `jobMemory` above the tier's share, or a job size that fits one type worse, lowers it.
 * With `instanceTypes` given, whose memory the construct does not know, the vCPUs over the job's.
 */
function agentsWithinVcpus(vcpus: number, tier: Tier, options: AgentTierOptions): number {
  const job = jobSizeOf(registeredContainerSize(tier, options));
  if (options.instanceTypes !== undefined) return Math.floor(vcpus / job.vcpus);
  return Math.min(...LARGE_INSTANCE_SHAPES.map((shape) => jobsWithinVcpus(vcpus, shape, job, DEFAULT_REGISTERED_MEMORY_SHARE)));
}

/** Agents per launched instance the scaler and quoting count on (`AgentTierOptions.agentsPerInstance`), at the job size registered. */
function launchedAgentsPerInstance(props: ProvingOrchestratorProps, tier: Tier): number {
  const options = props[tier] ?? {};
  return options.agentsPerInstance ?? (options.instanceTypes === undefined ? DEFAULT_AGENTS_PER_INSTANCE(tier, options) : 1);
}
const DEFAULT_MAX_VCPUS = 8_192;
/** How long one watcher invocation follows L1; the schedule starts a new one every minute. */
const WATCH_SECONDS = 50;

/** A tier's compute environments: the Spot and on-demand vCPU caps, and whether the preferred queue uses Spot. */
type TierCapacity = Pick<BatchAgentTierProps, 'maxvCpus' | 'onDemandMaxvCpus' | 'spot'>;

function tierCapacity(props: ProvingOrchestratorProps): Record<Tier, TierCapacity> {
  const capacity = {} as Record<Tier, TierCapacity>;
  for (const tier of TIERS) {
    const options = props[tier] ?? {};
    const maxvCpus = options.maxvCpus ?? DEFAULT_MAX_VCPUS;
    capacity[tier] = {
      maxvCpus,
      onDemandMaxvCpus: options.onDemandMaxvCpus ?? Math.max(TIER_SHAPES[tier].vcpus, Math.floor(maxvCpus / 4)),
      spot: options.spot ?? true,
    };
  }
  return capacity;
}

/** The environment pieces the functions are given: the planner's, every run state's, the Batch queues', the signer's. */
interface FunctionEnvironments {
  readonly planner: Record<string, string>;
  readonly run: Record<string, string>;
  readonly batch: Record<string, string>;
  readonly signer: Record<string, string>;
}

type ProvingFunctions = ProvingOrchestrator['functions'];

/**
 * prover-burst on AWS: the watcher follows L1 and starts one Step Functions execution per block it decides to prove;
 * the planner splits the block into proof jobs (DynamoDB, SQS); the scaler starts agents on AWS Batch (a Spot-first
 * and an on-demand queue per tier) sized to the block and its deadline; agents prove through S3; the submitter signs
 * the root with the KMS signer key and submits it; the settler releases capacity. A dashboard and alarms watch it.
 */
export class ProvingOrchestrator extends Construct {
  readonly network: ProverNetwork;
  readonly dataKey: IKey;
  readonly signerKey: IKey;
  /** The prover id (a token when read from the key at deployment). */
  readonly proverId: string;
  readonly l1RpcSecret: ISecret;
  readonly storage: ProvingStorage;
  readonly queues: TierWorkQueues;
  readonly tiers: Readonly<Record<Tier, BatchAgentTier>>;
  readonly functions: {
    readonly planner: ProverFunction;
    readonly scaler: ProverFunction;
    readonly submitter: ProverFunction;
    readonly settler: ProverFunction;
    readonly watcher: ProverFunction;
    readonly quote: ProverFunction;
  };
  readonly blockRun: BlockRunStateMachine;
  /** The quote API: a public HTTP API or an IAM-authenticated function URL (quoteAccess). */
  readonly quoteEndpoint: QuoteEndpoint;
  /** Where sequencers POST /quote. */
  readonly quoteUrl: string;
  readonly observability: ProvingObservability;
  readonly proverBackend: ProverBackend;

  constructor(scope: Construct, id: string, props: ProvingOrchestratorProps) {
    super(scope, id);
    validate(props);
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const backend = (this.proverBackend = props.proverBackend ?? ProverBackend.simulated());
    const artifactRetention = props.artifactRetention ?? Duration.days(7);

    this.dataKey = props.dataKey ?? this.createDataKey(removalPolicy);
    this.signerKey = props.signerKey ?? this.createSignerKey();
    this.proverId = this.resolveProverId(props.proverId);
    this.l1RpcSecret = props.l1RpcSecret ?? this.createL1RpcSecret();
    this.network = this.buildNetwork(props, logRetention);
    this.storage = new ProvingStorage(this, 'Storage', {
      key: this.dataKey,
      artifactRetention,
      removalPolicy,
      ...(props.accessLogsBucket ? { accessLogsBucket: props.accessLogsBucket } : {}),
    });
    const agentMaxFailures = props.agentMaxFailures ?? 3;
    this.queues = new TierWorkQueues(this, 'Queues', {
      key: this.dataKey,
      agentMaxFailures,
      ...(props.queueLaneSlackSeconds ? { laneSlackSeconds: props.queueLaneSlackSeconds } : {}),
    });
    const pipelineEnvironment = this.pipelineEnvironment(artifactRetention, backend);

    const agents = this.buildAgentTiers(props, backend, { ...pipelineEnvironment, AGENT_MAX_FAILURES: String(agentMaxFailures) }, logRetention);
    this.tiers = agents.tiers;
    this.functions = this.buildFunctions(props, this.functionEnvironments(props, backend, pipelineEnvironment, agents.capacity), logRetention);
    this.grantFunctionAccess(this.functions);
    this.blockRun = new BlockRunStateMachine(this, 'BlockRun', {
      planner: this.functions.planner.function,
      scaler: this.functions.scaler.function,
      submitter: this.functions.submitter.function,
      settler: this.functions.settler.function,
      logsKey: this.dataKey,
      logRetention,
    });
    this.scheduleWatcher(this.connectBlockRun(this.blockRun, this.functions));
    this.quoteEndpoint = this.buildQuoteEndpoint(props, this.functions.quote, logRetention);
    this.quoteUrl = this.quoteEndpoint.url;
    this.acknowledgeGrants(agents.instanceRole);
    this.observability = new ProvingObservability(this, 'Observability', {
      stateMachine: this.blockRun.stateMachine,
      queues: this.queues,
      functions: this.functions,
      agentLogs: agents.logs,
      key: this.dataKey,
      costModel: DEFAULT_COST_MODEL,
      ...(props.alarmTopic ? { alarmTopic: props.alarmTopic } : {}),
      ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}),
    });
  }

  /** The key that encrypts the table, artifacts, queues, alarm topic and logs, usable by CloudWatch Logs and alarms. */
  private createDataKey(removalPolicy: RemovalPolicy): Key {
    const stack = Stack.of(this);
    const key = new Key(this, 'DataKey', { description: 'prover-burst: jobs, artifacts, queues, alarms and logs', enableKeyRotation: true, removalPolicy });
    // CloudWatch Logs encrypts this deployment's log groups with it; alarms publish to the encrypted topic.
    key.grant(
      new ServicePrincipal(`logs.${stack.region}.amazonaws.com`).withConditions({
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
      }),
      'kms:Encrypt*',
      'kms:Decrypt*',
      'kms:ReEncrypt*',
      'kms:GenerateDataKey*',
      'kms:Describe*',
    );
    // Only for this account's alarms in this region (confused deputy): the SNS developer guide's key policy for AWS
    // services publishing to encrypted topics conditions CloudWatch on aws:SourceAccount and aws:SourceArn.
    key.grant(
      new ServicePrincipal('cloudwatch.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
      }),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    return key;
  }

  /** The prover id's key, kept when the stack is deleted (it holds the firm's escrow and rewards). */
  private createSignerKey(): Key {
    return new Key(this, 'SignerKey', {
      description: 'prover-burst: the prover id; signs L1 transactions and quotes',
      keySpec: KeySpec.ECC_SECG_P256K1,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** The signer key's address, read from KMS at deployment and checked against a configured prover id. */
  private resolveProverId(configured: string | undefined): string {
    const signerAddress = new SignerAddress(this, 'ProverId', { key: this.signerKey, logsKey: this.dataKey, ...(configured ? { expected: configured } : {}) });
    // A configured prover id stays readable in the functions' environment; the deployment checks it against the key.
    return configured ?? signerAddress.address;
  }

  private createL1RpcSecret(): Secret {
    return new Secret(this, 'L1RpcUrl', {
      description: 'prover-burst: the L1 RPC URL (or JSON {"url": ...}); replace the generated placeholder',
      encryptionKey: this.dataKey,
    });
  }

  private buildNetwork(props: ProvingOrchestratorProps, logRetention: RetentionDays): ProverNetwork {
    return new ProverNetwork(this, 'Network', {
      ...(props.vpc ? { vpc: props.vpc } : {}),
      ...(props.vpcSubnets ? { subnets: props.vpcSubnets } : {}),
      ...(props.natGateways !== undefined ? { natGateways: props.natGateways } : {}),
      ...(props.maxAzs !== undefined ? { maxAzs: props.maxAzs } : {}),
      ...(props.vpcEndpoints !== undefined ? { endpoints: props.vpcEndpoints } : {}),
      logsKey: this.dataKey,
      logRetention,
    });
  }

  /**
   * What every process that touches the pipeline reads: the table, the bucket and its key, the queues, and the time
   * scale every job message's latest start is reckoned on (the planner, the agents and the run states all send some).
   */
  private pipelineEnvironment(artifactRetention: Duration, backend: ProverBackend): Record<string, string> {
    return {
      JOB_TABLE_NAME: this.storage.table.tableName,
      ARTIFACT_BUCKET: this.storage.bucket.bucketName,
      ARTIFACT_KMS_KEY_ID: this.dataKey.keyArn,
      HEAVY_QUEUE_URL: this.queues.urls('heavy', 'queue'),
      LIGHT_QUEUE_URL: this.queues.urls('light', 'queue'),
      ...this.queues.laneEnvironment(),
      RUN_RETENTION_SECONDS: String(artifactRetention.toSeconds()),
      EXPECTED_SECOND_SCALE: String(backend.secondsPerExpectedSecond),
    };
  }

  /** Each tier's compute environments, job queues and job definition (several agents per instance), and what agents may touch. */
  private buildAgentTiers(
    props: ProvingOrchestratorProps,
    backend: ProverBackend,
    pipelineEnvironment: Record<string, string>,
    logRetention: RetentionDays,
  ): { readonly tiers: Record<Tier, BatchAgentTier>; readonly capacity: Record<Tier, TierCapacity>; readonly instanceRole: Role; readonly logs: LogGroup } {
    const instanceRole = new Role(this, 'AgentInstanceRole', {
      assumedBy: new ServicePrincipal('ec2.amazonaws.com'),
      description: 'prover-burst Batch instances: the ECS agent',
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEC2ContainerServiceforEC2Role')],
    });
    const logs = new LogGroup(this, 'AgentLogs', { retention: logRetention, encryptionKey: this.dataKey, removalPolicy: RemovalPolicy.DESTROY });
    // Agents only answer task tokens, which name their execution: they need no state machine ARN.
    const agentEnvironment = {
      ...pipelineEnvironment,
      ...backend.environment(),
      ...(backend.kind === 'simulated-kms' ? { ATTESTER_KMS_KEY_ID: this.signerKey.keyArn } : {}),
      // The fewest agents an instance of the tier's types hosts: the slots an agent assumes if it cannot count its host's.
      HEAVY_AGENTS_PER_INSTANCE: String(launchedAgentsPerInstance(props, 'heavy')),
      LIGHT_AGENTS_PER_INSTANCE: String(launchedAgentsPerInstance(props, 'light')),
    };
    const capacity = tierCapacity(props);
    const offerings = new InstanceTypeOfferings(this, 'InstanceTypes', { logsKey: this.dataKey });
    const tiers = {} as Record<Tier, BatchAgentTier>;
    for (const tier of TIERS) {
      const options = props[tier] ?? {};
      const instanceTypes = options.instanceTypes ?? DEFAULT_INSTANCE_TYPES[tier];
      tiers[tier] = new BatchAgentTier(this, tier === 'heavy' ? 'HeavyAgents' : 'LightAgents', {
        tier,
        vpc: this.network.vpc,
        subnets: this.network.subnets,
        securityGroup: this.network.agentSecurityGroup,
        instanceRole,
        instanceTypes,
        deployedInstanceTypes: offerings.offered(tier, instanceTypes, options.instanceTypes !== undefined),
        ...capacity[tier],
        spotBidPercentage: options.spotBidPercentage ?? 100,
        ...(options.jobVcpus !== undefined ? { jobVcpus: options.jobVcpus } : {}),
        ...(options.jobMemory ? { jobMemory: options.jobMemory } : {}),
        jobTimeout: options.jobTimeout ?? Duration.hours(6),
        environment: agentEnvironment,
        buildArgs: backend.buildArgs(),
        logGroup: logs,
      });
      const agents = tiers[tier].jobRole;
      this.storage.grantJobStore(agents);
      this.storage.bucket.grantRead(agents, 'artifacts/*');
      this.storage.bucket.grantPut(agents, 'artifacts/*');
      for (const lane of this.queues.tiers[tier]) lane.queue.grantConsumeMessages(agents);
      // Finishing a job releases its parent, which may be the other tier's, into whichever lane its slack picks.
      for (const other of TIERS) for (const lane of this.queues.tiers[other]) lane.queue.grantSendMessages(agents);
      if (backend.kind === 'simulated-kms') this.grantSigning(agents);
    }
    return { tiers, capacity, instanceRole, logs };
  }

  /** Each function's environment: the pipeline, L1 and who we are, the run's limits, the Batch queues, the signer. */
  private functionEnvironments(
    props: ProvingOrchestratorProps,
    backend: ProverBackend,
    pipelineEnvironment: Record<string, string>,
    capacity: Record<Tier, TierCapacity>,
  ): FunctionEnvironments {
    // The scaler never asks for more agents than the compute environments hold, by vCPUs and memory (`agentsWithinVcpus`).
    const maxAgents = (tier: Tier) => {
      const { maxvCpus, onDemandMaxvCpus, spot } = capacity[tier];
      const options = props[tier] ?? {};
      return String(Math.max(1, (spot ? agentsWithinVcpus(maxvCpus, tier, options) : 0) + agentsWithinVcpus(onDemandMaxvCpus, tier, options)));
    };
    const l1 = {
      L1_RPC_SECRET_ARN: this.l1RpcSecret.secretArn,
      L1_CHAIN_ID: String(props.l1ChainId),
      ROLLUP_ADDRESS: props.rollupAddress,
      PROVER_ID: this.proverId,
      CIRCUIT_PROFILE: props.circuitProfile ?? DEFAULT_CIRCUIT_PROFILE,
      MAX_TXS: String(props.maxTxs ?? 61_440),
      STATE_ROOT_SOURCE: props.stateRootSource,
    };
    const run = {
      ...pipelineEnvironment,
      ...l1,
      HEAVY_DLQ_URL: this.queues.urls('heavy', 'deadLetterQueue'),
      LIGHT_DLQ_URL: this.queues.urls('light', 'deadLetterQueue'),
      L1_CONFIRMATIONS: String(props.confirmations ?? 2),
      L1_START_BLOCK: String(props.l1StartBlock ?? 0),
      L1_BLOCK_SECONDS: String(props.l1BlockSeconds ?? 12),
      PROVING_MODE: props.provingMode ?? 'open-race',
      MAX_HEAVY_AGENTS: maxAgents('heavy'),
      MAX_LIGHT_AGENTS: maxAgents('light'),
      HEAVY_AGENTS_PER_INSTANCE: String(launchedAgentsPerInstance(props, 'heavy')),
      LIGHT_AGENTS_PER_INSTANCE: String(launchedAgentsPerInstance(props, 'light')),
    };
    const batch = {
      HEAVY_JOB_QUEUE: this.tiers.heavy.jobQueue.jobQueueArn,
      LIGHT_JOB_QUEUE: this.tiers.light.jobQueue.jobQueueArn,
      HEAVY_ON_DEMAND_JOB_QUEUE: this.tiers.heavy.onDemandJobQueue.jobQueueArn,
      LIGHT_ON_DEMAND_JOB_QUEUE: this.tiers.light.onDemandJobQueue.jobQueueArn,
      HEAVY_JOB_DEFINITION: this.tiers.heavy.jobDefinition.jobDefinitionArn,
      LIGHT_JOB_DEFINITION: this.tiers.light.jobDefinition.jobDefinitionArn,
    };
    return { planner: { ...pipelineEnvironment, ...l1 }, run, batch, signer: { SIGNER_KMS_KEY_ID: this.signerKey.keyArn } };
  }

  /** The six functions, each with the environment it reads and the L1 RPC secret. */
  private buildFunctions(props: ProvingOrchestratorProps, environments: FunctionEnvironments, logRetention: RetentionDays): ProvingFunctions {
    const fn = (id: string, service: string, entry: string, description: string, memorySize: number, timeout: Duration, environment: Record<string, string>) => {
      const made = new ProverFunction(this, id, {
        entry,
        service: `prover-burst-${service}`,
        description,
        memorySize,
        timeout,
        environment: { ...environment, ...props.functionEnvironment },
        logsKey: this.dataKey,
        logRetention,
        network: { vpc: this.network.vpc, subnets: this.network.subnets, securityGroup: this.network.functionSecurityGroup },
      });
      this.l1RpcSecret.grantRead(made.function);
      return made;
    };
    const { planner: plannerEnvironment, run, batch, signer } = environments;
    // Every function that may rebuild a block's plan (~230 MB peak for 61,440 txs, bench:plan) gets at least 1 GB.
    const planner = fn('Planner', 'planner', 'functions/planner/handler.ts', 'prover-burst plan state: checks the body, plans the DAG, enqueues the leaves', 2_048, Duration.minutes(15), plannerEnvironment);
    const scaler = fn('Scaler', 'scaler', 'functions/scaler/handler.ts', 'prover-burst provision / re-scale / await-root states', 1_536, Duration.minutes(3), { ...run, ...batch });
    const submitter = fn('Submitter', 'submitter', 'functions/submitter/handler.ts', 'prover-burst submit and confirm states (KMS signer)', 1_024, Duration.minutes(10), { ...run, ...batch, ...signer });
    const settler = fn('Settler', 'settler', 'functions/settler/handler.ts', 'prover-burst settle and abandon states', 512, Duration.minutes(2), { ...run, ...batch });
    // The watcher's timeout outlasts its loop (WATCH_SECONDS, overridable) by a slow last tick.
    const watchSeconds = Number(props.functionEnvironment?.WATCH_SECONDS ?? WATCH_SECONDS);
    const watcher = fn('Watcher', 'watcher', 'functions/watcher/handler.ts', 'prover-burst L1 watcher: starts block runs', 1_024, Duration.seconds(Math.min(900, watchSeconds + 40)), {
      ...run,
      ...batch,
      WATCH_SECONDS: String(WATCH_SECONDS),
    });
    const quote = fn('Quote', 'quote', 'functions/quote/handler.ts', 'prover-burst quote API (signed requests from staked sequencers)', 1_024, Duration.seconds(30), { ...run, ...signer });
    return { planner, scaler, submitter, settler, watcher, quote };
  }

  /** Exactly the calls each handler makes (runtime/aws/pipelineAdapters.ts, core/run/*, core/watch/*). */
  private grantFunctionAccess({ planner, scaler, submitter, settler, watcher, quote }: ProvingFunctions): void {
    const { bucket } = this.storage;
    // The quote API keeps its ledger of signed requests (replays, allowances) and the quotes it signed in the job table.
    for (const made of [planner, scaler, submitter, settler, watcher, quote]) this.storage.grantJobStore(made.function);
    // Artifacts are written once and never deleted by us (the lifecycle rule expires them).
    for (const made of [planner, scaler, submitter, watcher]) bucket.grantRead(made.function, 'artifacts/*');
    bucket.grantPut(planner.function, 'artifacts/*');
    for (const tier of TIERS) {
      for (const { queue, deadLetterQueue } of this.queues.tiers[tier]) {
        // The planner enqueues leaves; the submitter re-enqueues a corrupt root; the watcher refills a revived run.
        for (const made of [planner, submitter, watcher]) queue.grantSendMessages(made.function);
        // The scaler reads every lane's depth, dead letters included.
        queue.grant(scaler.function, 'sqs:GetQueueAttributes');
        deadLetterQueue.grant(scaler.function, 'sqs:GetQueueAttributes');
      }
      this.tiers[tier].grantStartAgents(scaler.function);
      // Only the scaler stops agents (stragglers); ending a run elsewhere publishes a zero target from a count.
      this.tiers[tier].grantStopAgents(scaler.function);
      for (const made of [submitter, settler, watcher]) this.tiers[tier].grantCountAgents(made.function);
    }
    for (const made of [submitter, quote]) this.grantSigning(made.function);
  }

  /** Who starts executions and answers their task tokens; returns the task-response policy runs wait for. */
  private connectBlockRun(blockRun: BlockRunStateMachine, { scaler, watcher }: ProvingFunctions): { readonly watcher: ProverFunction; readonly taskResponders: Policy } {
    // The root proof (an agent) and the scaler's await-root step answer the prove state's task token.
    const taskResponders = this.grantTaskResponseApart(blockRun.stateMachine, [scaler.function.role!, this.tiers.heavy.jobRole, this.tiers.light.jobRole]);
    blockRun.stateMachine.grantStartExecution(watcher.function);
    blockRun.stateMachine.grantTaskResponse(watcher.function);
    watcher.addEnvironment('STATE_MACHINE_ARN', blockRun.stateMachine.stateMachineArn);
    return { watcher, taskResponders };
  }

  /** The watcher every minute, its missed ticks in a dead-letter queue. */
  private scheduleWatcher({ watcher, taskResponders }: { readonly watcher: ProverFunction; readonly taskResponders: Policy }): void {
    // A missed tick is repeated by the next one from the stored cursor: neither EventBridge nor Lambda retries it. What
    // EventBridge could not deliver (the function missing, throttled or not permitted) and the record of a failed
    // invocation land in a dead-letter queue instead of vanishing.
    const missedTicks = new Queue(this, 'MissedWatcherTicks', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeFindings(missedTicks, [
      DEAD_LETTER_QUEUE_FINDING,
      {
        validator: 'checkov',
        rule: 'CKV_AWS_27',
        reason: 'SQS-managed encryption (SSE-SQS) encrypts it at rest; it holds schedule events and failure records, no pipeline data, and a customer key would need an EventBridge statement in the data key\'s policy, which may be the firm\'s own',
      },
    ]);
    watcher.function.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1), onFailure: new SqsDestination(missedTicks) });
    const watchRule = new Rule(this, 'WatchEveryMinute', {
      description: 'prover-burst: follow L1 (each invocation watches for WATCH_SECONDS)',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(watcher.function, { retryAttempts: 0, maxEventAge: Duration.minutes(1), deadLetterQueue: missedTicks })],
    });
    // No run starts before the functions that answer its task token may do so.
    watchRule.node.addDependency(taskResponders);
    acknowledgeFindings(
      watchRule,
      [
        {
          validator: 'cfn-lint',
          rule: 'ES1007',
          reason: 'the watcher has its EventInvokeConfig, failures to the MissedWatcherTicks queue; the rule matches it by the FunctionName text, which CDK writes as the name there and as the ARN in this permission',
        },
      ],
      { resourceType: 'AWS::Lambda::Permission' },
    );
    acknowledge(
      missedTicks,
      'the dead-letter queue of the watcher schedule\'s EventBridge target: a dead-letter queue has none of its own',
      'SQS3',
    );
  }

  private buildQuoteEndpoint(props: ProvingOrchestratorProps, quote: ProverFunction, logRetention: RetentionDays): QuoteEndpoint {
    const endpoint = new QuoteEndpoint(this, 'QuoteApi', {
      function: quote.function,
      access: props.quoteAccess ?? 'signed-public',
      throttle: props.quoteThrottle ?? { rateLimit: 50, burstLimit: 100 },
      logsKey: this.dataKey,
      logRetention,
    });
    for (const invoker of props.quoteInvokers ?? []) endpoint.grantInvoke(invoker);
    return endpoint;
  }

  /** The cdk-nag findings the grants above raise, each with why it stands. */
  private acknowledgeGrants(instanceRole: Role): void {
    const { table, bucket } = this.storage;
    acknowledge(this, 'the job table\'s own indexes (one: runsByClass, which lists runs); no other table', `IAM5[Resource::${arnToken(table)}/index/*]`);
    acknowledge(
      this,
      'from the table, bucket, queue and secret grant methods, on the data key only: SSE-KMS encrypts with GenerateDataKey (and its WithoutPlaintext form) and re-encrypts with ReEncrypt',
      'IAM5[Action::kms:GenerateDataKey*]',
      'IAM5[Action::kms:ReEncrypt*]',
    );
    acknowledge(
      this,
      'Bucket.grantRead/grantPut on the artifact bucket: the store heads and gets objects with checksums (GetObject*), needs ListBucket so a missing artifact is a 404 rather than a 403, and aborts failed multipart uploads (Abort*); nothing deletes',
      'IAM5[Action::s3:GetObject*]',
      'IAM5[Action::s3:GetBucket*]',
      'IAM5[Action::s3:List*]',
      'IAM5[Action::s3:Abort*]',
    );
    acknowledge(this, 'artifacts are content-addressed (artifacts/sha256/<hex>), so their keys are known only once proven; the grant stops at the prefix', `IAM5[Resource::${arnToken(bucket)}/artifacts/*]`);
    acknowledge(
      this,
      'Batch job ids exist only once the scaler submits them, so CancelJob/TerminateJob (and tagging on SubmitJob) name the account\'s jobs in this region',
      `IAM5[Resource::${nagString(this, this.tiers.heavy.jobArns)}]`,
    );
    acknowledge(
      instanceRole,
      'the ECS agent on the Batch instances registers them with ECS, pulls images and ships container logs with this AWS-maintained policy, the one Batch documents for the instance role',
      'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]',
    );
    if (this.l1RpcSecret instanceof Secret) {
      acknowledge(
        this.l1RpcSecret,
        'the secret holds the L1 RPC provider\'s URL and API key, which the provider issues and revokes; rotation happens there and the new URL is put here',
        'SMG4',
      );
    }
    acknowledge(
      this.blockRun,
      'X-Ray tracing and the CloudWatch Logs delivery calls of a state machine accept no resource but *',
      'IAM5[Resource::*]',
    );
    acknowledge(
      this.blockRun,
      'LambdaInvoke lets the state machine invoke versions and aliases of its own four functions, nothing else',
      ...Object.values(this.functions).map((made) => `IAM5[Resource::${arnToken(made.function)}:*]`),
    );
  }

  /** kms:Sign and kms:GetPublicKey on the signer key: the submitter, the quote API, SIMULATED agents' attestations. */
  grantSigning(grantee: IGrantable): Grant {
    return this.signerKey.grantSign(grantee).combine(this.signerKey.grant(grantee, 'kms:GetPublicKey'));
  }

  /**
   * SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat on the state machine, in a policy of its own: the machine
   * invokes the scaler, and a function waits for its role's default policy, so granting there would be a dependency
   * cycle. This way the machine needs no fixed name (which would block its replacement and could overflow 80
   * characters).
   */
  private grantTaskResponseApart(stateMachine: IStateMachine, roles: readonly IRole[]): Policy {
    return new Policy(this, 'BlockRunTaskResponse', {
      roles: [...roles],
      statements: [new PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'], resources: [stateMachine.stateMachineArn] })],
    });
  }
}

/** Props that would only fail at run time fail the synth instead, naming the prop. */
function validate(props: ProvingOrchestratorProps): void {
  const problems: string[] = [];
  const isAddress = (value: string) => /^0x[0-9a-fA-F]{40}$/.test(value);
  if (!isAddress(props.rollupAddress)) problems.push(`rollupAddress must be a 20-byte 0x address, got ${props.rollupAddress}`);
  if (props.proverId !== undefined && !isAddress(props.proverId)) problems.push(`proverId must be a 20-byte 0x address, got ${props.proverId}`);
  if (!Number.isInteger(props.l1ChainId) || props.l1ChainId <= 0) problems.push(`l1ChainId must be a positive integer, got ${props.l1ChainId}`);
  if (!(STATE_ROOT_SOURCES as readonly string[]).includes(props.stateRootSource)) problems.push(`stateRootSource must be one of ${STATE_ROOT_SOURCES.join(', ')}, got ${String(props.stateRootSource)}`);
  const profile = props.circuitProfile ?? DEFAULT_CIRCUIT_PROFILE;
  if (!Object.hasOwn(CIRCUIT_PROFILES, profile)) problems.push(`circuitProfile must be one of ${Object.keys(CIRCUIT_PROFILES).join(', ')}, got ${profile}`);
  if (props.quoteInvokers?.length && props.quoteAccess !== 'iam') problems.push('quoteInvokers are granted an IAM-authenticated quote API: set quoteAccess to iam');
  // The Barretenberg backend proves the noir-tree circuits and nothing else.
  if (props.proverBackend?.kind === 'barretenberg' && profile !== 'noir-tree') {
    problems.push(`the barretenberg prover backend proves the noir-tree circuit profile, got circuitProfile ${profile}`);
  }
  if (props.alarmTopic && props.alarmEmail) problems.push('alarmEmail subscribes a created topic; subscribe the alarmTopic you pass yourself');
  const watchSeconds = props.functionEnvironment?.WATCH_SECONDS;
  if (watchSeconds !== undefined && !(Number(watchSeconds) >= 0 && Number(watchSeconds) <= 840)) problems.push(`WATCH_SECONDS must be 0 to 840 seconds, got ${watchSeconds}`);
  if (problems.length > 0) throw new Error(`ProvingOrchestrator: ${problems.join('; ')}`);
}
