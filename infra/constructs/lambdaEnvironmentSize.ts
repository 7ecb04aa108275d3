import { CfnResource, Stack, Token } from 'aws-cdk-lib';

/**
 * Lambda's limit on a function's environment. The Lambda developer guide says "4 KB, for all environment variables
 * associated with the function, in aggregate" (*Lambda quotas*,
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html) and "The total size of all environment
 * variables doesn't exceed 4 KB" (*Working with Lambda environment variables*,
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html); neither says how the size is counted nor
 * whether a KB is 1,000 or 1,024 bytes. Lambda's refusal shows what it measured: "… exceeded the 4KB limit. String
 * measured: {"POWERTOOLS_LOGGER_LOG_EVENT":"true",…}" (UpdateFunctionConfiguration's InvalidParameterValueException,
 * quoted in github-aws-runners/terraform-aws-github-runner#3594), that is the variables as one JSON object, quotes,
 * colons, commas and escapes included; LocalStack's emulation counts the same (`json.dumps` with no spaces, against
 * 4,096). So `lambdaEnvironmentBytes` counts that serialisation, and the smaller reading of 4 KB is taken.
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
 * The most bytes a function's environment can take once deployed, as Lambda measures it: the variables as one JSON
 * object, `{"NAME":"value",…}` (`LAMBDA_ENVIRONMENT_MAX_BYTES`), any character outside ASCII counted as its `\uXXXX`
 * escape (more than its UTF-8 bytes, so either encoding is covered). `variables` as CloudFormation has them (literals,
 * `Ref`, `Fn::GetAtt` and `Fn::Join`), every reference counted at the longest name and ARN the referenced resource
 * can have (`referenceBytes`).
 */
export function lambdaEnvironmentBytes(variables: Readonly<Record<string, unknown>>, names: TemplateNames): number {
  const entries = Object.entries(variables);
  // {} around, a comma between two variables, and each "NAME":"value" with its quotes and colon.
  const punctuation = 2 + Math.max(0, entries.length - 1) + entries.length * '"":""'.length;
  return entries.reduce((total, [name, value]) => total + jsonText(name) + valueBytes(value, names), punctuation);
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

/** A value's characters inside its JSON quotes. References (names, ARNs, URLs) have none that JSON escapes. */
function valueBytes(value: unknown, names: TemplateNames): number {
  if (typeof value === 'string') return jsonText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return jsonText(String(value));
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('Fn::Join' in record) {
      const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
      return parts.reduce<number>((total, part) => total + valueBytes(part, names), 0) + jsonText(separator) * Math.max(0, parts.length - 1);
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

/**
 * `text` as it stands inside a JSON string's quotes, escapes included, DEL and a character outside ASCII as `\uXXXX`
 * (JavaScript's JSON.stringify leaves DEL raw; Python's json.dumps, which LocalStack uses, escapes it).
 */
function jsonText(text: string): number {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, '\\uXXXX').length - 2;
}
