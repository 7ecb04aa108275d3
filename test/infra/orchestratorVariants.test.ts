import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Vpc } from 'aws-cdk-lib/aws-ec2';
import { AccountPrincipal, Role } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProverBackend, ProvingOrchestrator } from '../../infra/index.js';
import { containerEnvironment } from './plausibleEnvironment.js';
import { EXAMPLE_ENV, synthesizeApp, type SynthesizedApp } from './synthesizedApp.js';
import { identityStatements, logicalId, roleOfFunction } from './templateReading.js';

const PROVER_ID = '0x5B38Da6a701c568545dCfcB03FcB875f56beddC4';

describe('the app with a private RPC, a real prover and no Spot (context values)', () => {
  let app: SynthesizedApp;
  beforeAll(() => {
    app = synthesizeApp({
      bundling: false,
      context: {
        natGateways: 0,
        proverBackend: 'command',
        proverCommand: '["/opt/prover/bin/prove","--threads","31"]',
        proverImage: 'ghcr.io/firm/prover:1.2',
        proverId: PROVER_ID,
        spot: false,
      },
    });
  });
  const resources = () => app.json.Resources;

  it('has no NAT gateway and no public subnet; the endpoints carry all AWS traffic', () => {
    app.template.resourceCountIs('AWS::EC2::NatGateway', 0);
    app.template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    app.template.resourceCountIs('AWS::EC2::VPCEndpoint', 14);
    for (const [, subnet] of Object.entries(resources()).filter(([, resource]) => resource.Type === 'AWS::EC2::Subnet')) {
      expect(subnet.Properties!.MapPublicIpOnLaunch).toBe(false);
    }
  });

  it('runs the command prover: no attester key, no signing grant for the agents, the prover image as a build argument', () => {
    for (const tier of ['Heavy', 'Light']) {
      const environment = containerEnvironment(resources()[logicalId(resources(), 'AWS::Batch::JobDefinition', `${tier}Agents`)]!);
      expect(environment).toMatchObject({ PROVER_BACKEND: 'command', PROVER_COMMAND: '["/opt/prover/bin/prove","--threads","31"]', PROVER_TIMEOUT_MS: '3600000' });
      expect(environment.ATTESTER_KMS_KEY_ID).toBeUndefined();
      const jobRole = logicalId(resources(), 'AWS::IAM::Role', `${tier}AgentsJobRole`);
      expect(identityStatements(resources()).filter((statement) => statement.role === jobRole && statement.actions.includes('kms:Sign'))).toEqual([]);
    }
    const outputs = app.template.findOutputs('ProverBackend');
    expect(outputs.ProverBackend!.Value).toBe('command: ["/opt/prover/bin/prove","--threads","31"] from ghcr.io/firm/prover:1.2');
  });

  it('uses the configured prover id in the functions, and still checks it against the key at deployment', () => {
    const scaler = resources()[logicalId(resources(), 'AWS::Lambda::Function', 'ProvingOrchestratorScalerFunction')]!;
    expect((scaler.Properties!.Environment as { Variables: Record<string, unknown> }).Variables.PROVER_ID).toBe(PROVER_ID);
    app.template.hasResourceProperties('Custom::ProverBurstSignerAddress', { ExpectedAddress: PROVER_ID });
  });

  it('without Spot, each preferred queue has the on-demand environment only, and the scaler\'s cap follows', () => {
    app.template.resourceCountIs('AWS::Batch::ComputeEnvironment', 2);
    const scaler = resources()[logicalId(resources(), 'AWS::Lambda::Function', 'ProvingOrchestratorScalerFunction')]!;
    expect((scaler.Properties!.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({ MAX_HEAVY_AGENTS: '64', MAX_LIGHT_AGENTS: '256' });
  });

  it('is as clean for cdk-nag', () => {
    expect(app.validationReport.pluginReports.find((report) => report.pluginName === 'AwsSolutions')?.violations).toEqual([]);
  });
});

describe('the quote API behind IAM (quoteAccess iam)', () => {
  it('is an IAM-authenticated function URL, and its invokers get both actions Lambda checks since October 2025', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Iam', { env: EXAMPLE_ENV });
    const sequencer = new Role(stack, 'Sequencer', { assumedBy: new AccountPrincipal('210987654321') });
    const orchestrator = new ProvingOrchestrator(stack, 'Proving', { rollupAddress: PROVER_ID, l1ChainId: 1, stateRootSource: 'devnet-transition', quoteAccess: 'iam', quoteInvokers: [sequencer] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' });
    const json = template.toJSON() as SynthesizedApp['json'];
    const granted = identityStatements(json.Resources).filter((statement) => statement.role === logicalId(json.Resources, 'AWS::IAM::Role', 'Sequencer'));
    expect(granted.flatMap((statement) => statement.actions).sort()).toEqual(['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl']);
    expect(() => orchestrator.quoteEndpoint.grantInvoke(sequencer)).not.toThrow();
    expect(() => new ProvingOrchestrator(new Stack(app, 'Public', { env: EXAMPLE_ENV }), 'Proving', { rollupAddress: PROVER_ID, l1ChainId: 1, stateRootSource: 'devnet-transition', quoteInvokers: [sequencer] })).toThrow(
      'quoteInvokers are granted an IAM-authenticated quote API: set quoteAccess to iam',
    );
  });
});

describe('a stack name of 128 characters, the most CloudFormation allows', () => {
  it('names no state machine (Step Functions allows 80 characters, and a fixed name blocks replacement); its log group stays under /aws/vendedlogs/ within 512', () => {
    const stackName = `Prover${'x'.repeat(122)}`;
    expect(stackName).toHaveLength(128);
    const app = synthesizeApp({ bundling: false, context: { stackName } });
    const resources = Object.values(app.json.Resources);
    for (const machine of resources.filter((resource) => resource.Type === 'AWS::StepFunctions::StateMachine')) expect(machine.Properties!.StateMachineName).toBeUndefined();
    const logGroupNames = resources.filter((resource) => resource.Type === 'AWS::Logs::LogGroup').map((group) => group.Properties!.LogGroupName).filter((name): name is string => typeof name === 'string');
    expect(logGroupNames).toEqual([expect.stringMatching(/^\/aws\/vendedlogs\/states\/Proverx+-ProvingOrchestrator-BlockRun-[A-F0-9]{8}$/)]);
    expect(logGroupNames[0]!.length).toBeLessThanOrEqual(512);
    expect(app.validationReport.pluginReports.find((report) => report.pluginName === 'AwsSolutions')?.violations).toEqual([]);
  });
});

describe('embedded in another CDK app with the firm\'s own VPC, key, secret and topic (the README snippet)', () => {
  let template: Template;
  beforeAll(() => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'FirmProving', { env: EXAMPLE_ENV });
    const vpc = Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
    });
    const orchestrator = new ProvingOrchestrator(stack, 'Proving', {
      rollupAddress: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      l1ChainId: 1,
      stateRootSource: 'devnet-transition',
      l1StartBlock: 21_000_000,
      vpc,
      l1RpcSecret: Secret.fromSecretNameV2(stack, 'Rpc', 'prover/l1-rpc'),
      signerKey: Key.fromKeyArn(stack, 'Signer', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
      proverId: PROVER_ID,
      alarmTopic: Topic.fromTopicArn(stack, 'Pager', 'arn:aws:sns:us-east-1:123456789012:pager'),
      provingMode: 'committed',
      proverBackend: ProverBackend.command(['/opt/prover/bin/prove']),
      heavy: { maxvCpus: 2048 },
      queueLaneSlackSeconds: [],
    });
    expect(orchestrator.proverId).toBe(PROVER_ID);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    app.synth();
    template = Template.fromStack(stack);
  });

  it('with no lane splits, one queue (and dead-letter queue) per tier and no QUEUE_LANE_SLACK_SECONDS', () => {
    template.resourceCountIs('AWS::SQS::Queue', 5);
    const variables = Object.values(template.findResources('AWS::Lambda::Function')).map(
      (made) => ((made as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }).Properties.Environment?.Variables ?? {}),
    );
    expect(variables.filter((environment) => 'HEAVY_QUEUE_URL' in environment).length).toBeGreaterThan(0);
    for (const environment of variables) expect(environment).not.toHaveProperty('QUEUE_LANE_SLACK_SECONDS');
  });

  it('creates no VPC, endpoints, signer key, secret or topic of its own', () => {
    for (const type of ['AWS::EC2::VPC', 'AWS::EC2::VPCEndpoint', 'AWS::SecretsManager::Secret', 'AWS::SNS::Topic']) template.resourceCountIs(type, 0);
    expect(Object.values(template.findResources('AWS::KMS::Key')).map((key) => (key as { Properties: { KeySpec?: string } }).Properties.KeySpec)).toEqual([undefined]);
  });

  it('grants the imported key and secret to exactly the functions that use them', () => {
    const json = template.toJSON() as SynthesizedApp['json'];
    const statements = identityStatements(json.Resources);
    const rolesWith = (action: string) => statements.filter((statement) => statement.actions.includes(action)).map((statement) => statement.role);
    const role = (name: string) => roleOfFunction(json.Resources, logicalId(json.Resources, 'AWS::Lambda::Function', `Proving${name}Function`));
    expect(new Set(rolesWith('kms:Sign'))).toEqual(new Set([role('Submitter'), role('Quote')]));
    expect(new Set(rolesWith('secretsmanager:GetSecretValue'))).toEqual(new Set(['Planner', 'Scaler', 'Submitter', 'Settler', 'Watcher', 'Quote'].map(role)));
  });
});
