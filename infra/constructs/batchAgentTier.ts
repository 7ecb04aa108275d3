import { readFileSync } from 'node:fs';
import { ArnFormat, Duration, Fn, IgnoreMode, Stack, type Size } from 'aws-cdk-lib';
import {
  Action,
  AllocationStrategy,
  type CfnComputeEnvironment,
  EcsEc2ContainerDefinition,
  EcsVolume,
  EcsJobDefinition,
  EcsMachineImageType,
  JobQueue,
  JobStateTimeLimitActionsAction,
  JobStateTimeLimitActionsReason,
  JobStateTimeLimitActionsState,
  ManagedEc2EcsComputeEnvironment,
  Reason,
  RetryStrategy,
} from 'aws-cdk-lib/aws-batch';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import {
  BlockDeviceVolume,
  EbsDeviceVolumeType,
  LaunchTemplate,
  LaunchTemplateHttpTokens,
  MultipartBody,
  MultipartUserData,
  UserData,
  type InstanceType,
  type ISecurityGroup,
  type IVpc,
  type SubnetSelection,
} from 'aws-cdk-lib/aws-ec2';
import { ContainerImage, LogDriver } from 'aws-cdk-lib/aws-ecs';
import { Grant, Role, ServicePrincipal, type IGrantable, type IRole } from 'aws-cdk-lib/aws-iam';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AGENT_TAG_KEYS } from '../../adapters/aws/agentJobTags.js';
import type { Tier } from '../../core/tiers.js';
import { registeredContainerSize } from '../agentContainerSize.js';
import { REPO_ROOT } from '../repoRoot.js';
import { acknowledge } from './acknowledge.js';

export interface BatchAgentTierProps {
  readonly tier: Tier;
  readonly vpc: IVpc;
  readonly subnets: SubnetSelection;
  readonly securityGroup: ISecurityGroup;
  /** The EC2 role of the instances (the ECS agent's), shared by every compute environment. */
  readonly instanceRole: IRole;
  /** Instance types of both compute environments; each hosts as many agent containers as its vCPUs and registered memory hold. */
  readonly instanceTypes: readonly InstanceType[];
  /**
   * The instance types the compute environments get, when known only at deployment (InstanceTypeOfferings: those of
   * `instanceTypes` the region offers).
   * @default instanceTypes
   */
  readonly deployedInstanceTypes?: string[];
  /** The Spot compute environment's cap. */
  readonly maxvCpus: number;
  /** The on-demand compute environment's cap. */
  readonly onDemandMaxvCpus: number;
  /** Without Spot the preferred job queue has only the on-demand compute environment. */
  readonly spot: boolean;
  /** The most a Spot instance may cost, in percent of the on-demand price. */
  readonly spotBidPercentage: number;
  /** vCPUs and memory of one agent container (also given to the agent, which counts its host's slots with them). @default agentContainerSize(tier) */
  readonly jobVcpus?: number;
  readonly jobMemory?: Size;
  /** A running agent is stopped after this (it normally exits once idle). */
  readonly jobTimeout: Duration;
  /** The agent's environment. */
  readonly environment: Record<string, string>;
  /** Docker build arguments of the agent image besides TIER. */
  readonly buildArgs: Record<string, string>;
  /** The agents' log group; each tier writes its own streams. */
  readonly logGroup: ILogGroup;
}

/** The host side of Spot's two-minute notice (installed by the launch template's user data). */
const SPOT_NOTICE_SCRIPT = readFileSync(`${REPO_ROOT}/batch-images/host/spot-notice.sh`, 'utf8');

/**
 * One tier of agents on AWS Batch: a Spot and an on-demand managed EC2 compute environment, the job queue that prefers
 * Spot (Spot first, on-demand when Spot is at its cap), the on-demand job queue the scaler uses when the deadline is
 * close, and the job definition of one agent container. Batch fills the first compute environment until it reaches
 * its cap, not until Spot runs dry, and reports a job short of capacity only when every environment of its queue is
 * (Batch user guide, job queue blocked jobs), which the Spot-first queue never is: so the Batch adapter itself moves
 * agents that wait too long for Spot to the on-demand queue (adapters/aws/batchAgentCapacity.ts).
 */
export class BatchAgentTier extends Construct {
  readonly spotComputeEnvironment: ManagedEc2EcsComputeEnvironment | undefined;
  readonly onDemandComputeEnvironment: ManagedEc2EcsComputeEnvironment;
  /** Spot first: where the scaler submits agents when there is slack. */
  readonly jobQueue: JobQueue;
  /** On demand only: where the scaler submits agents when the deadline is at risk. */
  readonly onDemandJobQueue: JobQueue;
  readonly jobDefinition: EcsJobDefinition;
  /** The agent containers' role. */
  readonly jobRole: Role;
  /** Every Batch job of the account in this region: the resource CancelJob and TerminateJob are granted on. */
  readonly jobArns: string;

  constructor(scope: Construct, id: string, props: BatchAgentTierProps) {
    super(scope, id);
    this.jobArns = Stack.of(this).formatArn({ service: 'batch', resource: 'job', resourceName: '*' });
    const launchTemplate = new LaunchTemplate(this, 'Instances', {
      // IMDSv2 only, one hop: the ECS agent and spot-notice.sh (host network) reach it, the agent containers (bridge)
      // cannot borrow the instance role; they use the job role.
      httpTokens: LaunchTemplateHttpTokens.REQUIRED,
      httpPutResponseHopLimit: 1,
      userData: instanceUserData(props.tier),
      blockDevices: [
        { deviceName: '/dev/xvda', volume: BlockDeviceVolume.ebs(50, { encrypted: true, volumeType: EbsDeviceVolumeType.GP3 }) },
      ],
    });
    const environment = (spot: boolean) =>
      new ManagedEc2EcsComputeEnvironment(this, spot ? 'Spot' : 'OnDemand', {
        vpc: props.vpc,
        vpcSubnets: props.subnets,
        securityGroups: [props.securityGroup],
        instanceRole: props.instanceRole,
        launchTemplate,
        images: [{ imageType: EcsMachineImageType.ECS_AL2023 }],
        instanceTypes: [...props.instanceTypes],
        useOptimalInstanceClasses: false,
        minvCpus: 0,
        maxvCpus: spot ? props.maxvCpus : props.onDemandMaxvCpus,
        spot,
        ...(spot
          ? { allocationStrategy: AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED, spotBidPercentage: props.spotBidPercentage }
          : { allocationStrategy: AllocationStrategy.BEST_FIT_PROGRESSIVE }),
        updateToLatestImageVersion: true,
      });
    this.spotComputeEnvironment = props.spot ? environment(true) : undefined;
    this.onDemandComputeEnvironment = environment(false);
    if (props.deployedInstanceTypes) {
      for (const made of [this.spotComputeEnvironment, this.onDemandComputeEnvironment]) {
        (made?.node.defaultChild as CfnComputeEnvironment | undefined)?.addPropertyOverride('ComputeResources.InstanceTypes', props.deployedInstanceTypes);
      }
    }

    // A job Batch reports as stuck is cancelled after ten minutes, and the scaler, which counts it no more, asks again.
    // A job asking more than any instance holds is reported on either queue. Short capacity is reported only where
    // every environment of the queue is short: on the on-demand queue, but never on the Spot-first one (its on-demand
    // environment always could take the job), so Spot shortage is the Batch adapter's to notice.
    const cancelWhenStuck = (...reasons: JobStateTimeLimitActionsReason[]) =>
      reasons.map((reason) => ({ action: JobStateTimeLimitActionsAction.CANCEL, maxTime: Duration.minutes(10), reason, state: JobStateTimeLimitActionsState.RUNNABLE }));
    this.jobQueue = new JobQueue(this, 'Queue', {
      priority: 1,
      computeEnvironments: [
        ...(this.spotComputeEnvironment ? [{ computeEnvironment: this.spotComputeEnvironment, order: 1 }] : []),
        { computeEnvironment: this.onDemandComputeEnvironment, order: 2 },
      ],
      jobStateTimeLimitActions: cancelWhenStuck(
        JobStateTimeLimitActionsReason.JOB_RESOURCE_REQUIREMENT,
        ...(this.spotComputeEnvironment ? [] : [JobStateTimeLimitActionsReason.INSUFFICIENT_INSTANCE_CAPACITY]),
      ),
    });
    // Higher priority: when both queues want the on-demand instances, the urgent agents get them first.
    this.onDemandJobQueue = new JobQueue(this, 'OnDemandQueue', {
      priority: 10,
      computeEnvironments: [{ computeEnvironment: this.onDemandComputeEnvironment, order: 1 }],
      jobStateTimeLimitActions: cancelWhenStuck(JobStateTimeLimitActionsReason.INSUFFICIENT_INSTANCE_CAPACITY, JobStateTimeLimitActionsReason.JOB_RESOURCE_REQUIREMENT),
    });

    this.jobRole = new Role(this, 'JobRole', {
      assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `prover-burst ${props.tier} agents`,
    });
    const size = registeredContainerSize(props.tier, props);
    const image = ContainerImage.fromAsset(REPO_ROOT, {
      file: 'batch-images/Dockerfile',
      buildArgs: { TIER: props.tier, ...props.buildArgs },
      exclude: agentImageContext(),
      ignoreMode: IgnoreMode.DOCKER,
      platform: Platform.LINUX_AMD64,
    });
    this.jobDefinition = new EcsJobDefinition(this, 'Agent', {
      container: new EcsEc2ContainerDefinition(this, 'Container', {
        image,
        cpu: size.vcpus,
        memory: size.memory,
        jobRole: this.jobRole,
        environment: {
          ...props.environment,
          AGENT_TIER: props.tier,
          AWS_REGION: Stack.of(this).region,
          AGENT_PRESENCE_DIR: AGENT_PRESENCE_MOUNT,
          // The size registered just above: the agent counts its host's slots with it, not with the tier's default.
          AGENT_JOB_VCPUS: String(size.vcpus),
          AGENT_JOB_MEMORY_MIB: String(size.memory.toMebibytes()),
        },
        // One host directory per instance and tier that every agent container on the instance mounts: each announces
        // itself there, so that leaves empty instances whole (core/agent/leaveCheck.ts). Not verified on AWS.
        volumes: [EcsVolume.host({ name: 'instance-presence', hostPath: agentPresenceHostPath(props.tier), containerPath: AGENT_PRESENCE_MOUNT })],
        logging: LogDriver.awsLogs({ logGroup: props.logGroup, streamPrefix: props.tier }),
      }),
      // A Spot reclaim is not the agent's fault: run it again. Anything else (a crash) is left to the scaler.
      retryAttempts: 5,
      retryStrategies: [RetryStrategy.of(Action.RETRY, Reason.SPOT_INSTANCE_RECLAIMED), RetryStrategy.of(Action.EXIT, Reason.custom({ onReason: '*' }))],
      timeout: props.jobTimeout,
      propagateTags: true,
    });
    acknowledge(
      this.jobDefinition.container.executionRole,
      'ecr:GetAuthorizationToken accepts no resource but *; pulling the image is scoped to the asset repository',
      'IAM5[Resource::*]',
    );
  }

  /**
   * SubmitJob of this tier's agents to either queue, with their tags (the scaler). The Service Authorization Reference
   * maps SubmitJob to batch:SubmitJob and batch:TagResource when the request carries tags, and TagResource is checked
   * on the job queue, the job definition (and its revision) and the new job: all three are granted, for our two tag
   * keys only.
   */
  grantStartAgents(grantee: IGrantable): Grant {
    const stack = Stack.of(this);
    // The definition's Ref is its revision ARN (…:job-definition/<name>:<revision>, the job-definition-revision
    // resource type); the ARN without the revision is the job-definition type. Both are granted.
    const definitionName = Fn.select(0, Fn.split(':', Fn.select(1, Fn.split('/', this.jobDefinition.jobDefinitionArn))));
    const definitionArn = stack.formatArn({ service: 'batch', resource: 'job-definition', resourceName: definitionName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    return Grant.addToPrincipal({
      grantee,
      actions: ['batch:SubmitJob'],
      resourceArns: [this.jobDefinition.jobDefinitionArn, this.jobQueue.jobQueueArn, this.onDemandJobQueue.jobQueueArn],
    })
      .combine(
        Grant.addToPrincipal({
          grantee,
          actions: ['batch:TagResource'],
          resourceArns: [this.jobQueue.jobQueueArn, this.onDemandJobQueue.jobQueueArn, this.jobDefinition.jobDefinitionArn, definitionArn, this.jobArns],
          conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': Object.values(AGENT_TAG_KEYS) } },
        }),
      )
      .combine(this.grantCountAgents(grantee));
  }

  /** CancelJob and TerminateJob of agents, and counting them first: the scaler, for stragglers only. */
  grantStopAgents(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: ['batch:CancelJob', 'batch:TerminateJob'], resourceArns: [this.jobArns] }).combine(this.grantCountAgents(grantee));
  }

  /** ListJobs and DescribeJobs, which IAM cannot scope to a queue or a job. */
  grantCountAgents(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: ['batch:ListJobs', 'batch:DescribeJobs'], resourceArns: ['*'] });
  }
}

/** Where the agent containers see their instance's presence directory (`AGENT_PRESENCE_DIR`). */
export const AGENT_PRESENCE_MOUNT = '/var/run/prover-burst/instance';

/** The host directory the agents of one tier on an instance share (one instance hosts one tier's agents). */
export function agentPresenceHostPath(tier: Tier): string {
  return `/var/lib/prover-burst/agents/${tier}`;
}

/** The agent image's user (batch-images/Dockerfile `USER 1000:1000`), which must own the presence directory. */
const AGENT_UID = 1000;

/**
 * The instances' user data, in the MIME multi-part form Batch requires of a launch template (Batch user guide, launch
 * templates): the presence directory the agents share, owned by the agents' user (Docker would create a missing bind
 * source as root, which the agents could not write); the ECS agent drains the instance on Spot's notice (no new job is
 * placed on it), and spot-notice.sh, as a service, turns the notice into SIGUSR2 for the agent containers, which ECS
 * draining never stops.
 */
function instanceUserData(tier: Tier): MultipartUserData {
  const script = UserData.forLinux();
  script.addCommands(
    `install -d -o ${AGENT_UID} -g ${AGENT_UID} -m 0700 ${agentPresenceHostPath(tier)}`,
    'echo ECS_ENABLE_SPOT_INSTANCE_DRAINING=true >> /etc/ecs/ecs.config',
    "cat > /usr/local/bin/prover-burst-spot-notice <<'PROVER_BURST_SCRIPT'",
    SPOT_NOTICE_SCRIPT.trimEnd(),
    'PROVER_BURST_SCRIPT',
    'chmod 755 /usr/local/bin/prover-burst-spot-notice',
    "cat > /etc/systemd/system/prover-burst-spot-notice.service <<'PROVER_BURST_UNIT'",
    '[Unit]',
    'Description=prover-burst: Spot interruption notice to the agent containers as SIGUSR2',
    'After=docker.service',
    '[Service]',
    'ExecStart=/usr/local/bin/prover-burst-spot-notice',
    'Restart=always',
    '[Install]',
    'WantedBy=multi-user.target',
    'PROVER_BURST_UNIT',
    'systemctl enable --now --no-block prover-burst-spot-notice.service',
  );
  const userData = new MultipartUserData();
  userData.addPart(MultipartBody.fromUserData(script));
  return userData;
}

/** The agent image's build context rules, shared with BuildKit (batch-images/Dockerfile.dockerignore). */
export function agentImageContext(): string[] {
  return readFileSync(`${REPO_ROOT}/batch-images/Dockerfile.dockerignore`, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}
