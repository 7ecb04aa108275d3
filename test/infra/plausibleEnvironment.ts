import type { SynthesizedApp } from './synthesizedApp.js';

type Resources = SynthesizedApp['json']['Resources'];

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

/** What a Ref or GetAtt of a resource type is at run time, with a value of the right shape. */
function valueOf(type: string, id: string, attribute: string | undefined): string {
  const name = id.toLowerCase().slice(0, 40);
  switch (`${type}${attribute ? `.${attribute}` : ''}`) {
    case 'AWS::DynamoDB::Table':
      return `ProverBurst-${id}`;
    case 'AWS::S3::Bucket':
      return `proverburst-${name}`;
    case 'AWS::SQS::Queue':
      return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${id}`;
    case 'AWS::KMS::Key.Arn':
      return `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    case 'AWS::SecretsManager::Secret':
      return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${id}-AbCdEf`;
    case 'Custom::ProverBurstSignerAddress.Address':
      return '0x5B38Da6a701c568545dCfcB03FcB875f56beddC4';
    case 'AWS::Batch::JobQueue.JobQueueArn':
      return `arn:aws:batch:${REGION}:${ACCOUNT}:job-queue/${id}`;
    case 'AWS::Batch::JobDefinition':
      return `arn:aws:batch:${REGION}:${ACCOUNT}:job-definition/${id}:1`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${id}`;
    default:
      throw new Error(`no plausible value for ${type}${attribute ? `.${attribute}` : ''} (${id}): teach plausibleEnvironment`);
  }
}

/**
 * A synthesized environment with every CloudFormation token replaced by what it resolves to once deployed (a queue's
 * Ref is its URL, a key's Arn an ARN…), so the functions' zod schemas can judge it. An unknown kind of token fails.
 */
export function plausibleEnvironment(resources: Resources, environment: Record<string, unknown>): Record<string, string> {
  const resolve = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const node = value as Record<string, unknown>;
    if ('Ref' in node) {
      const id = String(node.Ref);
      if (id === 'AWS::Region') return REGION;
      if (id === 'AWS::AccountId') return ACCOUNT;
      if (id === 'AWS::Partition') return 'aws';
      if (id === 'AWS::URLSuffix') return 'amazonaws.com';
      return valueOf(resources[id]?.Type ?? '?', id, undefined);
    }
    if ('Fn::GetAtt' in node) {
      const [id, attribute] = node['Fn::GetAtt'] as [string, string];
      return valueOf(resources[id]?.Type ?? '?', id, attribute);
    }
    if ('Fn::Join' in node) {
      const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
      return parts.map(resolve).join(separator);
    }
    throw new Error(`unexpected intrinsic in an environment: ${JSON.stringify(value)}`);
  };
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, resolve(value)]));
}

/** A Batch job definition's environment list as a record. */
export function containerEnvironment(jobDefinition: { readonly Properties?: Record<string, unknown> }): Record<string, unknown> {
  const container = jobDefinition.Properties?.ContainerProperties as { Environment: { Name: string; Value: unknown }[] };
  return Object.fromEntries(container.Environment.map(({ Name, Value }) => [Name, Value]));
}
