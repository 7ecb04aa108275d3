import { CustomResource, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import type { InstanceType } from 'aws-cdk-lib/aws-ec2';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { Tier } from '../../core/tiers.js';
import { acknowledge, arnToken } from './acknowledge.js';
import { DEPLOYMENT_FUNCTION_FINDINGS, acknowledgeFindings } from './validatorFindings.js';
import { ProverFunction } from './proverFunction.js';

export interface InstanceTypeOfferingsProps {
  /** Encrypts the function's logs. */
  readonly logsKey: IKey;
}

/**
 * The instance types a region offers, read from EC2 during deployment (infra/instanceOfferings/handler.ts): EC2
 * families are not in every region (c7a is missing from many), and Batch refuses a compute environment with a type its
 * region lacks. Defaults shrink to what the region offers; a list the operator named must be offered in full. Either
 * way the deployment fails, naming what the region offers of the same size, rather than the first block.
 */
export class InstanceTypeOfferings extends Construct {
  private readonly provider: Provider;

  constructor(scope: Construct, id: string, props: InstanceTypeOfferingsProps) {
    super(scope, id);
    const reader = new ProverFunction(this, 'Reader', {
      entry: 'infra/instanceOfferings/handler.ts',
      service: 'prover-burst-instance-types',
      description: 'prover-burst deployment: the instance types the region offers',
      memorySize: 256,
      timeout: Duration.minutes(1),
      environment: {},
      logsKey: props.logsKey,
      logRetention: RetentionDays.ONE_MONTH,
    });
    // DescribeInstanceTypeOfferings has no resource-level permissions (Service Authorization Reference, Amazon EC2).
    reader.function.addToRolePolicy(new PolicyStatement({ actions: ['ec2:DescribeInstanceTypeOfferings'], resources: ['*'] }));
    this.provider = new Provider(this, 'Provider', {
      onEventHandler: reader.function,
      logGroup: new LogGroup(this, 'ProviderLogs', { retention: RetentionDays.ONE_MONTH, encryptionKey: props.logsKey, removalPolicy: RemovalPolicy.DESTROY }),
    });
    acknowledgeFindings(this, DEPLOYMENT_FUNCTION_FINDINGS, { resourceType: 'AWS::Lambda::Function' });
    acknowledge(
      this.provider,
      'the CDK custom resource framework function logs with the AWS-managed basic execution policy and runs only during deployments',
      'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    );
    acknowledge(this.provider, 'the framework may invoke the reader function\'s versions; nothing but this one function', `IAM5[Resource::${arnToken(reader.function)}:*]`);
  }

  /**
   * The tier's instance types that the region offers (a deploy-time list), in the given order. `required`: every one
   * must be offered (the operator named them); otherwise at least one.
   */
  offered(tier: Tier, candidates: readonly InstanceType[], required: boolean): string[] {
    const resource = new CustomResource(this, `${tier === 'heavy' ? 'Heavy' : 'Light'}Types`, {
      serviceToken: this.provider.serviceToken,
      resourceType: 'Custom::ProverBurstInstanceTypes',
      properties: { Tier: tier, Candidates: candidates.map(String).join(','), Required: String(required) },
    });
    return Fn.split(',', resource.getAttString('InstanceTypes'));
  }
}
