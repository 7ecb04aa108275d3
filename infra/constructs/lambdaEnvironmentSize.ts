import { CfnResource, Stack, Token } from 'aws-cdk-lib';

/**
 * Lambda's limit on a function's environment: "Total size of all environment variables: 4 KB" (Lambda developer guide,
 * *Lambda quotas*), counted over the variables' names and values. The page does not say whether a KB is 1,000 or 1,024
 * bytes, so the smaller reading is taken.
 */
export const LAMBDA_ENVIRONMENT_MAX_BYTES = 4_000;

/**
 * CloudFormation names a resource that is given no name `<stack name>-<logical id>-<random suffix>`, cut to what the
 * service allows (CloudFormation user guide, *Name type*); the suffix is 12 or 13 characters, so 13 is counted.
 */
const GENERATED_SUFFIX = 13;
/** The longest Region codes have 14 characters (e.g. ap-southeast-5, cn-northwest-1: AWS General Reference, *Regions*). */
const LONGEST_REGION = 'ap-southeast-5'.length;
/** An AWS account id: 12 digits. */
const ACCOUNT = 12;
/** A token this file does not know (a variable the operator adds through `functionEnvironment`): an assumption. */
const UNKNOWN_TOKEN_BYTES = 256;

/** Where the names and ARNs of a template's resources are bounded from. */
export interface TemplateNames {
  readonly stackName: string;
  /** Null when the stack is environment-agnostic: the longest Region, partition and China's domain are counted. */
  readonly region: string | null;
  readonly partition: string | null;
  /** Each resource's CloudFormation type, by logical id. */
  readonly types: ReadonlyMap<string, string>;
}

/**
 * The most bytes a function's environment can take once deployed, as Lambda counts it (names and values, UTF-8):
 * `variables` as CloudFormation has them (literals, `Ref`, `Fn::GetAtt` and `Fn::Join`), every reference counted at
 * the longest name and ARN the referenced resource can have (`referenceBytes`).
 */
export function lambdaEnvironmentBytes(variables: Readonly<Record<string, unknown>>, names: TemplateNames): number {
  return Object.entries(variables).reduce((total, [name, value]) => total + utf8(name) + valueBytes(value, names), 0);
}

/** The names and types a stack's template will hold, read from its constructs (at construction time, for the check). */
export function templateNamesOf(stack: Stack): TemplateNames {
  const types = new Map<string, string>();
  for (const child of stack.node.findAll()) {
    if (CfnResource.isCfnResource(child) && Stack.of(child) === stack) types.set(stack.resolve(child.logicalId) as string, child.cfnResourceType);
  }
  const known = (value: string) => (Token.isUnresolved(value) ? null : value);
  return { stackName: stack.stackName, region: known(stack.region), partition: known(stack.partition), types };
}

function valueBytes(value: unknown, names: TemplateNames): number {
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'boolean') return utf8(String(value));
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('Fn::Join' in record) {
      const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
      return parts.reduce<number>((total, part) => total + valueBytes(part, names), 0) + utf8(separator) * Math.max(0, parts.length - 1);
    }
    if ('Ref' in record) return referenceBytes(record.Ref as string, 'Ref', names);
    if ('Fn::GetAtt' in record) {
      const [logicalId, attribute] = record['Fn::GetAtt'] as [string, string];
      return referenceBytes(logicalId, attribute, names);
    }
  }
  return UNKNOWN_TOKEN_BYTES;
}

/** The longest value a `Ref` (or `Fn::GetAtt` of `attribute`) to the resource can take, by its type. */
function referenceBytes(logicalId: string, attribute: string, names: TemplateNames): number {
  const type = names.types.get(logicalId);
  const generated = (max: number) => Math.min(max, utf8(names.stackName) + 1 + utf8(logicalId) + 1 + GENERATED_SUFFIX);
  const region = names.region === null ? LONGEST_REGION : utf8(names.region);
  const partition = names.partition === null ? 'aws-us-gov'.length : utf8(names.partition);
  // arn:<partition>:<service>:<region>:<account>:<resource>
  const arn = (service: string, resource: number) => 'arn:'.length + partition + 1 + service.length + 1 + region + 1 + ACCOUNT + 1 + resource;
  const china = names.partition === null || names.partition === 'aws-cn' ? '.cn'.length : 0;
  switch (`${type}.${attribute}`) {
    // https://sqs.<region>.amazonaws.com[.cn]/<account>/<name>; a queue name has at most 80 characters (SQS quotas).
    case 'AWS::SQS::Queue.Ref':
      return 'https://sqs.'.length + region + '.amazonaws.com'.length + china + 1 + ACCOUNT + 1 + generated(80);
    // Table names up to 255 characters, bucket names up to 63 (DynamoDB and S3 naming rules).
    case 'AWS::DynamoDB::Table.Ref':
      return generated(255);
    case 'AWS::S3::Bucket.Ref':
      return generated(63);
    // key/<uuid>
    case 'AWS::KMS::Key.Arn':
      return arn('kms', 'key/'.length + 36);
    // secret:<name>-<6 random characters>; names up to 512 (Secrets Manager quotas)
    case 'AWS::SecretsManager::Secret.Ref':
      return arn('secretsmanager', 'secret:'.length + generated(512) + 7);
    // Job queue and job definition names up to 128 (Batch API reference); a definition's ARN ends in :<revision>.
    case 'AWS::Batch::JobQueue.JobQueueArn':
      return arn('batch', 'job-queue/'.length + generated(128));
    case 'AWS::Batch::JobDefinition.Ref':
      return arn('batch', 'job-definition/'.length + generated(128) + 1 + 10);
    // State machine names up to 80 (Step Functions quotas), function names up to 64 (Lambda API reference).
    case 'AWS::StepFunctions::StateMachine.Ref':
      return arn('states', 'stateMachine:'.length + generated(80));
    case 'AWS::Lambda::Function.Arn':
      return arn('lambda', 'function:'.length + generated(64));
    // The prover id: an Ethereum address, 0x and 40 hex digits.
    case 'Custom::ProverBurstSignerAddress.Address':
      return 42;
    default:
      return UNKNOWN_TOKEN_BYTES;
  }
}

function utf8(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
