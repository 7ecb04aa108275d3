import { RemovalPolicy, Stack, type Duration } from 'aws-cdk-lib';
import type { ISecurityGroup, IVpc, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LambdaEnvironmentTooLargeError } from '../errors/infraErrors.js';
import { REPO_ROOT } from '../repoRoot.js';
import { acknowledge } from './acknowledge.js';
import { LAMBDA_ENVIRONMENT_MAX_BYTES, lambdaEnvironmentBytes, templateNamesOf } from './lambdaEnvironmentSize.js';
import { LAMBDA_FUNCTION_FINDINGS, acknowledgeFindings } from './validatorFindings.js';

/** The namespace of every custom metric (EMF from the functions, metric filters on the logs). */
export const METRICS_NAMESPACE = 'ProverBurst';

export interface ProverFunctionProps {
  /** The handler file, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  /** The Powertools service name: logs and metrics carry it. */
  readonly service: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  /** Encrypts the function's log group. */
  readonly logsKey: IKey;
  readonly logRetention: RetentionDays;
  /**
   * Runs the function in the VPC (an L1 RPC reachable only privately, AWS through the endpoints).
   * @default outside any VPC
   */
  readonly network?: { readonly vpc: IVpc; readonly subnets: SubnetSelection; readonly securityGroup: ISecurityGroup };
}

/**
 * A prover-burst Lambda function: bundled locally by esbuild into one ES module with every dependency (no Docker, no
 * layer), Node.js 22 on Graviton, X-Ray tracing, its own KMS-encrypted log group, Powertools settings.
 */
export class ProverFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  /** The environment as given so far, kept to check its size again when a variable is added after construction. */
  private readonly environment: Record<string, string>;

  constructor(scope: Construct, id: string, props: ProverFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const environment = {
      POWERTOOLS_SERVICE_NAME: props.service,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
      ...props.environment,
    };
    this.environment = { ...environment };
    this.checkEnvironmentSize();
    this.function = new NodejsFunction(this, 'Function', {
      entry: `${REPO_ROOT}/${props.entry}`,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}/package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      environment,
      ...(props.network
        ? { vpc: props.network.vpc, vpcSubnets: props.network.subnets, securityGroups: [props.network.securityGroup] }
        : {}),
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        // Bundled CommonJS dependencies still call require(); an ES module has none of its own.
        banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
        externalModules: [],
        minify: true,
        sourceMap: true,
        // Warnings and errors only: esbuild's size table for each of the seven bundles is noise in synth output.
        logLevel: LogLevel.WARNING,
      },
    });
    acknowledge(
      this,
      'Lambda writes the function logs with the AWS-managed basic execution policy; the function has its own KMS-encrypted log group',
      'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    );
    if (props.network) {
      acknowledge(
        this,
        'a function in a VPC needs the AWS-managed VPC access policy for its network interfaces (ec2:CreateNetworkInterface and the Describe calls cannot be scoped to resources)',
        'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
      );
    }
    acknowledgeFindings(
      this,
      [
        ...LAMBDA_FUNCTION_FINDINGS,
        {
          validator: 'cfn-lint',
          rule: 'WS1004',
          reason: 'the rule looks for a log group named /aws/lambda/<function>; this function logs to its own log group (LoggingConfig), KMS-encrypted with retention',
        },
      ],
      { resourceType: 'AWS::Lambda::Function' },
    );
    acknowledge(this, 'nodejs22.x is the Node.js line the project, its tests and the agent image run on (Lambda supports it until 2027); it moves with the project', 'L1');
    acknowledge(
      this,
      'only actions that accept no resource but * get it: X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) and, where granted, Batch ListJobs/DescribeJobs (counting agents); test/infra checks the list',
      'IAM5[Resource::*]',
    );
  }

  /** Adds a variable to the function's environment, refused like the constructor's if the whole would exceed Lambda's limit. */
  addEnvironment(name: string, value: string): void {
    this.environment[name] = value;
    this.checkEnvironmentSize();
    this.function.addEnvironment(name, value);
  }

  /**
   * Refused here rather than by Lambda at deployment: lane queue URLs make the environment grow with the lanes, and
   * a variable added after construction (the watcher's state machine ARN) counts as much as one given to it.
   */
  private checkEnvironmentSize(): void {
    const stack = Stack.of(this);
    const bytes = lambdaEnvironmentBytes(stack.resolve(this.environment) as Record<string, unknown>, templateNamesOf(stack));
    if (bytes > LAMBDA_ENVIRONMENT_MAX_BYTES) throw new LambdaEnvironmentTooLargeError(this.node.path, bytes, LAMBDA_ENVIRONMENT_MAX_BYTES);
  }
}
