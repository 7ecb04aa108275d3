import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  FlowLogDestination,
  FlowLogTrafficType,
  GatewayVpcEndpointAwsService,
  InterfaceVpcEndpointAwsService,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
  Vpc,
  type ISecurityGroup,
  type IVpc,
  type SubnetSelection,
} from 'aws-cdk-lib/aws-ec2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DEPLOYMENT_FUNCTION_FINDINGS, acknowledgeFindings } from './validatorFindings.js';

export interface ProverNetworkProps {
  /**
   * The VPC the agents and functions run in.
   * @default a new VPC: private subnets in `maxAzs` zones, `natGateways` NAT gateways, flow logs, endpoints
   */
  readonly vpc?: IVpc;
  /**
   * Where the agents and functions run.
   * @default the private subnets: with egress when the VPC has NAT gateways, isolated when it has none
   */
  readonly subnets?: SubnetSelection;
  /**
   * NAT gateways of a created VPC. AWS traffic never needs them (endpoints); the functions need one to reach an L1 RPC
   * on the internet. 0 when the firm's RPC is reachable privately (same VPC, peering, PrivateLink).
   * @default 1
   */
  readonly natGateways?: number;
  /**
   * Availability zones of a created VPC: more zones mean more Spot pools, and more interface endpoint hours.
   * @default 2
   */
  readonly maxAzs?: number;
  /**
   * Adds the interface endpoints (SQS, ECR, ECS, CloudWatch Logs, KMS, STS, Step Functions, Secrets Manager, Batch) and
   * the S3 and DynamoDB gateways, so agents reach AWS without NAT. A VPC that has them already must not get them twice.
   * @default true for a created VPC, false for an imported one
   */
  readonly endpoints?: boolean;
  /**
   * Encrypts the flow logs of a created VPC.
   * @default the log group's default encryption
   */
  readonly logsKey?: IKey;
  /**
   * How long flow logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
}

/** Interface endpoints for everything the agents, the ECS agent on their instances and the functions call. */
const INTERFACE_ENDPOINTS = {
  Sqs: InterfaceVpcEndpointAwsService.SQS,
  EcrApi: InterfaceVpcEndpointAwsService.ECR,
  EcrDocker: InterfaceVpcEndpointAwsService.ECR_DOCKER,
  Ecs: InterfaceVpcEndpointAwsService.ECS,
  EcsAgent: InterfaceVpcEndpointAwsService.ECS_AGENT,
  EcsTelemetry: InterfaceVpcEndpointAwsService.ECS_TELEMETRY,
  Logs: InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  Kms: InterfaceVpcEndpointAwsService.KMS,
  Sts: InterfaceVpcEndpointAwsService.STS,
  StepFunctions: InterfaceVpcEndpointAwsService.STEP_FUNCTIONS,
  SecretsManager: InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  Batch: InterfaceVpcEndpointAwsService.BATCH,
} as const;

/**
 * The network: private subnets for agents and functions, endpoints so AWS traffic stays in the VPC, and the security
 * groups. Agents only speak HTTPS out; nothing may connect in, except to the endpoints from our own groups.
 */
export class ProverNetwork extends Construct {
  readonly vpc: IVpc;
  readonly subnets: SubnetSelection;
  /** The Batch instances (and so the agent containers, in bridge mode). */
  readonly agentSecurityGroup: ISecurityGroup;
  /** The Lambda functions: any port out, so an RPC node on 8545 works. */
  readonly functionSecurityGroup: ISecurityGroup;

  constructor(scope: Construct, id: string, props: ProverNetworkProps = {}) {
    super(scope, id);
    const natGateways = props.natGateways ?? 1;
    const private_ = natGateways > 0 ? SubnetType.PRIVATE_WITH_EGRESS : SubnetType.PRIVATE_ISOLATED;
    if (props.vpc) {
      this.vpc = props.vpc;
    } else {
      const vpc = new Vpc(this, 'Vpc', {
        maxAzs: props.maxAzs ?? 2,
        natGateways,
        subnetConfiguration: [
          ...(natGateways > 0 ? [{ name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 }] : []),
          // A /20 per zone: room for ~4,000 agent instances.
          { name: 'private', subnetType: private_, cidrMask: 20 },
        ],
      });
      // CDK empties the new VPC's default security group with a custom resource of its own, at the stack's root.
      acknowledgeFindings(
        vpc,
        [
          {
            validator: 'cfn-lint',
            rule: 'W3010',
            reason: 'the zones are the deployment account\'s own, looked up once by the CDK CLI and cached in cdk.context.json as CDK documents; without an account the stack uses Fn::GetAZs',
          },
        ],
        { resourceType: 'AWS::EC2::Subnet' },
      );
      const restrictDefault = Stack.of(this).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
      if (restrictDefault) acknowledgeFindings(restrictDefault, DEPLOYMENT_FUNCTION_FINDINGS, { resourceType: 'AWS::Lambda::Function' });
      const flowLogs = new LogGroup(this, 'FlowLogs', {
        retention: props.logRetention ?? RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
        ...(props.logsKey ? { encryptionKey: props.logsKey } : {}),
      });
      vpc.addFlowLog('FlowLog', { destination: FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: FlowLogTrafficType.ALL });
      this.vpc = vpc;
    }
    this.subnets = props.subnets ?? { subnetType: props.vpc ? SubnetType.PRIVATE_WITH_EGRESS : private_ };

    const agents = new SecurityGroup(this, 'Agents', {
      vpc: this.vpc,
      description: 'prover-burst agents: HTTPS out only, nothing in',
      allowAllOutbound: false,
    });
    agents.addEgressRule(Peer.anyIpv4(), Port.tcp(443), 'AWS APIs through endpoints and gateways');
    this.agentSecurityGroup = agents;
    this.functionSecurityGroup = new SecurityGroup(this, 'Functions', {
      vpc: this.vpc,
      description: 'prover-burst functions: out to AWS and the L1 RPC, nothing in',
      allowAllOutbound: true,
    });

    if (props.endpoints ?? !props.vpc) {
      this.vpc.addGatewayEndpoint('S3', { service: GatewayVpcEndpointAwsService.S3 });
      this.vpc.addGatewayEndpoint('DynamoDb', { service: GatewayVpcEndpointAwsService.DYNAMODB });
      const endpoints = new SecurityGroup(this, 'Endpoints', {
        vpc: this.vpc,
        description: 'prover-burst interface endpoints: HTTPS in from the agents and functions only',
        allowAllOutbound: false,
      });
      endpoints.addIngressRule(agents, Port.tcp(443), 'agents');
      endpoints.addIngressRule(this.functionSecurityGroup, Port.tcp(443), 'functions');
      for (const [name, service] of Object.entries(INTERFACE_ENDPOINTS)) {
        this.vpc.addInterfaceEndpoint(name, { service, subnets: this.subnets, securityGroups: [endpoints], open: false });
      }
    }
  }
}
