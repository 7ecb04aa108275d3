import { CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ProverFunction } from './proverFunction.js';
import { acknowledge, arnToken } from './acknowledge.js';
import { DEPLOYMENT_FUNCTION_FINDINGS, acknowledgeFindings } from './validatorFindings.js';

export interface SignerAddressProps {
  /** The secp256k1 signer key. */
  readonly key: IKey;
  /**
   * The address the key must sign as; the deployment fails otherwise.
   * @default any: the key's address is the prover id
   */
  readonly expected?: string;
  /** Encrypts the function's logs. */
  readonly logsKey: IKey;
}

/**
 * The signer key's Ethereum address, read from KMS during deployment (infra/signerAddress/handler.ts), so a created
 * key is the prover id without a second deployment, and an imported key is checked against the configured one.
 */
export class SignerAddress extends Construct {
  /** The 0x address (a deploy-time token). */
  readonly address: string;

  constructor(scope: Construct, id: string, props: SignerAddressProps) {
    super(scope, id);
    const reader = new ProverFunction(this, 'Reader', {
      entry: 'infra/signerAddress/handler.ts',
      service: 'prover-burst-signer-address',
      description: 'prover-burst deployment: the signer key address',
      memorySize: 256,
      timeout: Duration.minutes(1),
      environment: {},
      logsKey: props.logsKey,
      logRetention: RetentionDays.ONE_MONTH,
    });
    props.key.grant(reader.function, 'kms:GetPublicKey');
    const provider = new Provider(this, 'Provider', {
      onEventHandler: reader.function,
      logGroup: new LogGroup(this, 'ProviderLogs', { retention: RetentionDays.ONE_MONTH, encryptionKey: props.logsKey, removalPolicy: RemovalPolicy.DESTROY }),
    });
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::ProverBurstSignerAddress',
      properties: { KeyId: props.key.keyArn, ...(props.expected ? { ExpectedAddress: props.expected } : {}) },
    });
    this.address = resource.getAttString('Address');
    acknowledgeFindings(this, DEPLOYMENT_FUNCTION_FINDINGS, { resourceType: 'AWS::Lambda::Function' });
    acknowledge(
      provider,
      'the CDK custom resource framework function logs with the AWS-managed basic execution policy and runs only during deployments',
      'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    );
    acknowledge(provider, 'the framework may invoke the reader function\'s versions; nothing but this one function', `IAM5[Resource::${arnToken(reader.function)}:*]`);
  }
}
