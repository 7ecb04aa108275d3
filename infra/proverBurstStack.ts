import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Vpc } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { orchestratorPropsOf, type AppContext } from './appContext.js';
import { ProvingOrchestrator } from './provingOrchestrator.js';

export interface ProverBurstStackProps extends StackProps {
  /** The app's validated context values. */
  readonly context: AppContext;
}

/** The stack `npx cdk deploy` deploys: one ProvingOrchestrator configured from the context, and what an operator needs next. */
export class ProverBurstStack extends Stack {
  readonly orchestrator: ProvingOrchestrator;

  constructor(scope: Construct, id: string, props: ProverBurstStackProps) {
    super(scope, id, props);
    const { context } = props;
    const orchestrator = (this.orchestrator = new ProvingOrchestrator(
      this,
      'ProvingOrchestrator',
      orchestratorPropsOf(context, {
        ...(context.l1RpcSecretName ? { l1RpcSecret: Secret.fromSecretNameV2(this, 'L1RpcSecret', context.l1RpcSecretName) } : {}),
        ...(context.signerKeyArn ? { signerKey: Key.fromKeyArn(this, 'SignerKey', context.signerKeyArn) } : {}),
        ...(context.alarmTopicArn ? { alarmTopic: Topic.fromTopicArn(this, 'AlarmTopic', context.alarmTopicArn) } : {}),
        ...(context.vpcId ? { vpc: Vpc.fromLookup(this, 'Vpc', { vpcId: context.vpcId }) } : {}),
      }),
    ));
    if (/^0x0{40}$/.test(context.rollupAddress)) {
      Annotations.of(this).addWarningV2('prover-burst:example-rollup', 'rollupAddress is the zero address (the example in cdk.json): set -c rollupAddress=<your rollup> before deploying');
    }
    if (context.stateRootSource === 'devnet-transition') {
      Annotations.of(this).addWarningV2(
        'prover-burst:devnet-state-roots',
        'stateRootSource is devnet-transition: root proofs carry the devnet\'s stand-in state roots (keccak(parentRoot, bodyHash)), right only for a rollup whose state transition is that stand-in',
      );
    }
    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    output('ProverBackend', orchestrator.proverBackend.describe(), 'What the agents prove with');
    output('ProverId', orchestrator.proverId, 'The prover id (the signer key address): fund it with ETH for gas and deposit its bond in the escrow');
    output('SignerKeyArn', orchestrator.signerKey.keyArn, 'The KMS key that signs as the prover id');
    output('L1RpcSecretArn', orchestrator.l1RpcSecret.secretArn, 'Put the L1 RPC URL here: aws secretsmanager put-secret-value --secret-id <arn> --secret-string <url>');
    output('QuoteUrl', orchestrator.quoteUrl, `The quote API (${orchestrator.quoteEndpoint.access === 'iam' ? 'IAM-authenticated function URL' : 'public; requests signed by a staked sequencer'}): POST /quote`);
    output('StateMachineArn', orchestrator.blockRun.stateMachine.stateMachineArn, 'One execution per block run');
    output('Dashboard', orchestrator.observability.dashboard.dashboardName, 'The CloudWatch dashboard');
    output('AlarmTopicArn', orchestrator.observability.alarmTopic.topicArn, 'Where alarms go');
    output('JobTable', orchestrator.storage.table.tableName, 'The job store');
    output('ArtifactBucket', orchestrator.storage.bucket.bucketName, 'Proofs and block bodies');
  }
}
