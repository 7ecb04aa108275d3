import { readFileSync } from 'node:fs';
import { Duration, IgnoreMode, Stack, type Size } from 'aws-cdk-lib';
import {
  Action,
  AllocationStrategy,
  EcsEc2ContainerDefinition,
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
  type InstanceType,
  type ISecurityGroup,
  type IVpc,
  type SubnetSelection,
} from 'aws-cdk-lib/aws-ec2';
import { ContainerImage, LogDriver } from 'aws-cdk-lib/aws-ecs';
import { Grant, PolicyStatement, Role, ServicePrincipal, type IGrantable, type IRole } from 'aws-cdk-lib/aws-iam';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Tier } from '../../core/tiers.js';
import { agentContainerSize } from '../agentContainerSize.js';
import { REPO_ROOT } from '../repoRoot.js';
import { acknowledge } from './acknowledge.js';

export interface BatchAgentTierProps {
  readonly tier: Tier;
  readonly vpc: IVpc;
  readonly subnets: SubnetSelection;
  readonly securityGroup: ISecurityGroup;
  /** The EC2 role of the instances (the ECS agent's), shared by every compute environment. */
  readonly instanceRole: IRole;
  /** Instance types of both compute environments; each should fit exactly one agent container. */
  readonly instanceTypes: readonly InstanceType[];
  /** The Spot compute environment's cap. */
  readonly maxvCpus: number;
  /** The on-demand compute environment's cap. */
  readonly onDemandMaxvCpus: number;
  /** Without Spot the preferred job queue has only the on-demand compute environment. */
  readonly spot: boolean;
  /** The most a Spot instance may cost, in percent of the on-demand price. */
  readonly spotBidPercentage: number;
  /** vCPUs and memory of one agent container. @default agentContainerSize(tier) */
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

/** Job states that Batch cancels a RUNNABLE job for after ten minutes, so the scaler asks again (on demand, if urgent). */
const CANCEL_WHEN_STUCK = [JobStateTimeLimitActionsReason.INSUFFICIENT_INSTANCE_CAPACITY, JobStateTimeLimitActionsReason.JOB_RESOURCE_REQUIREMENT];

/**
 * One tier of agents on AWS Batch: a Spot and an on-demand managed EC2 compute environment, the job queue that prefers
 * Spot (Spot first, on-demand when Spot is at its cap), the on-demand job queue the scaler uses when the deadline is
 * close, and the job definition of one agent container. Batch fills the first compute environment until it reaches
 * its cap, not until Spot runs dry, so a job stuck for want of Spot capacity is cancelled after ten minutes and the
 * scaler, which counts it no more, asks again.
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
      // IMDSv2 only, one hop: the ECS agent (host network) reaches it, the agent containers (bridge) cannot borrow the
      // instance role; they use the job role.
      httpTokens: LaunchTemplateHttpTokens.REQUIRED,
      httpPutResponseHopLimit: 1,
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

    const stuckRunnable = CANCEL_WHEN_STUCK.map((reason) => ({
      action: JobStateTimeLimitActionsAction.CANCEL,
      maxTime: Duration.minutes(10),
      reason,
      state: JobStateTimeLimitActionsState.RUNNABLE,
    }));
    this.jobQueue = new JobQueue(this, 'Queue', {
      priority: 1,
      computeEnvironments: [
        ...(this.spotComputeEnvironment ? [{ computeEnvironment: this.spotComputeEnvironment, order: 1 }] : []),
        { computeEnvironment: this.onDemandComputeEnvironment, order: 2 },
      ],
      jobStateTimeLimitActions: stuckRunnable,
    });
    // Higher priority: when both queues want the on-demand instances, the urgent agents get them first.
    this.onDemandJobQueue = new JobQueue(this, 'OnDemandQueue', {
      priority: 10,
      computeEnvironments: [{ computeEnvironment: this.onDemandComputeEnvironment, order: 1 }],
      jobStateTimeLimitActions: stuckRunnable,
    });

    this.jobRole = new Role(this, 'JobRole', {
      assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `prover-burst ${props.tier} agents`,
    });
    const size = agentContainerSize(props.tier);
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
        cpu: props.jobVcpus ?? size.vcpus,
        memory: props.jobMemory ?? size.memory,
        jobRole: this.jobRole,
        environment: { ...props.environment, AGENT_TIER: props.tier, AWS_REGION: Stack.of(this).region },
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

  /** SubmitJob of this tier's agents to either queue (the scaler). */
  grantStartAgents(grantee: IGrantable): void {
    this.jobDefinition.grantSubmitJob(grantee, this.jobQueue);
    this.jobDefinition.grantSubmitJob(grantee, this.onDemandJobQueue);
    // SubmitJob carries the agents' tags; tagging on create is authorised as TagResource on the new job.
    Grant.addToPrincipal({
      grantee,
      actions: ['batch:TagResource'],
      resourceArns: [this.jobArns],
      conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['prover-burst:tier', 'prover-burst:reason'] } },
    });
    this.grantCountAgents(grantee);
  }

  /** CancelJob and TerminateJob of agents, and counting them first (scaler, submitter, settler, watcher). */
  grantStopAgents(grantee: IGrantable): void {
    Grant.addToPrincipal({ grantee, actions: ['batch:CancelJob', 'batch:TerminateJob'], resourceArns: [this.jobArns] });
    this.grantCountAgents(grantee);
  }

  /** ListJobs and DescribeJobs, which IAM cannot scope to a queue or a job. */
  private grantCountAgents(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['batch:ListJobs', 'batch:DescribeJobs'], resources: ['*'] }));
  }
}

/** The agent image's build context rules, shared with BuildKit (batch-images/Dockerfile.dockerignore). */
export function agentImageContext(): string[] {
  return readFileSync(`${REPO_ROOT}/batch-images/Dockerfile.dockerignore`, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}
