import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { agentConfigSchema } from '../../batch-images/agent/agentConfig.js';
import { blockRunConfigSchema, pipelineConfigSchema, plannerConfigSchema } from '../../runtime/aws/config.js';
import { SCALER_SERVICE } from '../../infra/constructs/provingObservability.js';
import { SPOT_NOTICE_SIGNAL } from '../../batch-images/agent/spotNoticeSignal.js';
import { REPO_ROOT } from '../../infra/repoRoot.js';
import { containerEnvironment, plausibleEnvironment } from './plausibleEnvironment.js';
import { synthesizeApp, type SynthesizedApp } from './synthesizedApp.js';
import { identityStatements, logicalId, renderIntrinsics, roleOfFunction, type GrantedStatement } from './templateReading.js';

/**
 * The CDK app exactly as `npx cdk synth` builds it from cdk.json (functions bundled by esbuild, the agent image staged,
 * cdk-nag on), synthesized once for the whole file.
 */
let app: SynthesizedApp;
let resources: SynthesizedApp['json']['Resources'];
// Bundling eight functions with esbuild takes ~30 s alone, minutes on a machine busy with other builds.
beforeAll(() => {
  app = synthesizeApp({ bundling: true });
  resources = app.json.Resources;
}, 600_000);

const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
const functionId = (name: string) => logicalId(resources, 'AWS::Lambda::Function', `ProvingOrchestrator${name}Function`);

describe('AWS Batch: two tiers, Spot preferred', () => {
  const environments = (tier: 'Heavy' | 'Light') =>
    ofType('AWS::Batch::ComputeEnvironment').filter(([id]) => id.includes(`${tier}Agents`)).map(([, resource]) => resource.Properties!);

  it.each([
    // Large instances hosting several agents each (a launch token brings up 6 heavy or 24 light agents on a 48xlarge).
    ['Heavy', 'c7i.48xlarge,c6i.32xlarge,c7a.48xlarge'],
    ['Light', 'c7i.48xlarge,c6i.32xlarge,c7a.48xlarge'],
  ] as const)('%s: a Spot and an on-demand managed EC2 environment on those of its instance types the region offers, scaling from zero', (tier, candidates) => {
    const byKind = Object.fromEntries(environments(tier).map((properties) => [(properties.ComputeResources as { Type: string }).Type, properties.ComputeResources]));
    expect(Object.keys(byKind).sort()).toEqual(['EC2', 'SPOT']);
    // The types are read from EC2 at deployment (infra/instanceOfferings/handler.ts): c7a is missing in many regions.
    const offerings = logicalId(resources, 'Custom::ProverBurstInstanceTypes', `InstanceTypes${tier}Types`);
    expect(resources[offerings]!.Properties).toMatchObject({ Tier: tier.toLowerCase(), Candidates: candidates, Required: 'false' });
    for (const resourcesOf of Object.values(byKind)) {
      expect(resourcesOf).toMatchObject({
        InstanceTypes: { 'Fn::Split': [',', { 'Fn::GetAtt': [offerings, 'InstanceTypes'] }] },
        MinvCpus: 0,
        Ec2Configuration: [{ ImageType: 'ECS_AL2023' }],
      });
    }
    expect(byKind.SPOT).toMatchObject({ AllocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED', BidPercentage: 100, MaxvCpus: 8192 });
    expect(byKind.EC2).toMatchObject({ AllocationStrategy: 'BEST_FIT_PROGRESSIVE', MaxvCpus: 2048 });
    expect(environments(tier).map((properties) => properties.Type)).toEqual(['managed', 'managed']);
  });

  it.each(['Heavy', 'Light'] as const)('%s: the preferred queue takes Spot first and on demand second; the on-demand queue wins contention', (tier) => {
    const ce = (kind: 'Spot' | 'OnDemand') => `<${logicalId(resources, 'AWS::Batch::ComputeEnvironment', `${tier}Agents${kind}`)}.ComputeEnvironmentArn>`;
    const queue = (fragment: string) => resources[logicalId(resources, 'AWS::Batch::JobQueue', `${tier}Agents${fragment}`)]!.Properties!;
    const order = (properties: Record<string, unknown>) =>
      (properties.ComputeEnvironmentOrder as { ComputeEnvironment: unknown; Order: number }[]).map((entry) => [entry.Order, renderIntrinsics(entry.ComputeEnvironment)]);
    const preferred = queue('Queue');
    const onDemand = queue('OnDemandQueue');
    expect(order(preferred)).toEqual([
      [1, ce('Spot')],
      [2, ce('OnDemand')],
    ]);
    expect(order(onDemand)).toEqual([[1, ce('OnDemand')]]);
    expect(onDemand.Priority as number).toBeGreaterThan(preferred.Priority as number);
    // Batch reports short capacity only when every environment of the queue is short: never on the Spot-first queue,
    // whose on-demand environment could always take the job (the Batch adapter moves agents stuck on Spot itself).
    const reasons = (properties: Record<string, unknown>) =>
      (properties.JobStateTimeLimitActions as { Action: string; MaxTimeSeconds: number; State: string; Reason: string }[]).map((action) => {
        expect(action).toMatchObject({ Action: 'CANCEL', MaxTimeSeconds: 600, State: 'RUNNABLE' });
        return action.Reason;
      });
    expect(reasons(preferred)).toEqual(['MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT']);
    expect(reasons(onDemand)).toEqual(['CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY', 'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT']);
  });

  it.each([
    ['Heavy', 'heavy', '32', '61440'],
    ['Light', 'light', '8', '15360'],
  ] as const)('%s job definition: several agents per instance, within the memory ECS registers; Spot reclaims retried', (tier, agentTier, vcpus, memory) => {
    const definition = resources[logicalId(resources, 'AWS::Batch::JobDefinition', `${tier}Agents`)]!;
    const container = definition.Properties!.ContainerProperties as Record<string, unknown>;
    expect(container.ResourceRequirements).toEqual(
      expect.arrayContaining([
        { Type: 'VCPU', Value: vcpus },
        { Type: 'MEMORY', Value: memory },
      ]),
    );
    expect(definition.Properties).toMatchObject({
      PlatformCapabilities: ['EC2'],
      PropagateTags: true,
      Timeout: { AttemptDurationSeconds: 6 * 3600 },
      RetryStrategy: {
        Attempts: 5,
        EvaluateOnExit: [
          { Action: 'RETRY', OnStatusReason: 'Host EC2*' },
          { Action: 'EXIT', OnReason: '*' },
        ],
      },
    });
    expect(containerEnvironment(definition)).toMatchObject({ AGENT_TIER: agentTier, PROVER_BACKEND: 'simulated-kms' });
    expect(container.LogConfiguration).toMatchObject({ LogDriver: 'awslogs', Options: { 'awslogs-stream-prefix': agentTier } });
  });

  it.each([
    ['Heavy', { 'c7i.48xlarge': 6, 'c6i.32xlarge': 4, 'c7a.48xlarge': 6 }],
    ['Light', { 'c7i.48xlarge': 24, 'c6i.32xlarge': 16, 'c7a.48xlarge': 24 }],
  ] as const)('%s: every default instance type hosts whole agents by its vCPUs and the memory ECS registers', (tier, agents) => {
    // EC2 specifications (vCPUs, GiB); ECS registers less than the nominal memory (AWS's example: 97.5 % on an
    // m4.large) and the AMI keeps 32 MiB: at 95 % the jobs still fit as many times as the vCPUs allow.
    const sizes: Record<string, { vcpus: number; memoryGiB: number }> = {
      'c7i.48xlarge': { vcpus: 192, memoryGiB: 384 },
      'c6i.32xlarge': { vcpus: 128, memoryGiB: 256 },
      'c7a.48xlarge': { vcpus: 192, memoryGiB: 384 },
    };
    const definition = resources[logicalId(resources, 'AWS::Batch::JobDefinition', `${tier}Agents`)]!;
    const requirements = (definition.Properties!.ContainerProperties as { ResourceRequirements: { Type: string; Value: string }[] }).ResourceRequirements;
    const value = (type: string) => Number(requirements.find((requirement) => requirement.Type === type)!.Value);
    for (const [name, size] of Object.entries(sizes)) {
      const byVcpus = Math.floor(size.vcpus / value('VCPU'));
      const byMemory = Math.floor((size.memoryGiB * 1_024 * 0.95 - 32) / value('MEMORY'));
      expect(byVcpus, name).toBe(agents[name as keyof typeof agents]);
      expect(byMemory, name).toBeGreaterThanOrEqual(byVcpus);
    }
  });

  it('instances: IMDSv2 with one hop (containers cannot borrow the instance role), encrypted root volumes', () => {
    for (const [, template] of ofType('AWS::EC2::LaunchTemplate')) {
      expect(template.Properties).toMatchObject({
        LaunchTemplateData: {
          MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
          BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeType: 'gp3' } }],
        },
      });
    }
  });

  it('instances turn Spot\'s two-minute notice into SIGUSR2 for the agents (MIME multi-part user data, as Batch requires)', () => {
    const spotNotice = readFileSync(join(REPO_ROOT, 'batch-images', 'host', 'spot-notice.sh'), 'utf8').trimEnd();
    // The agent's entrypoint listens for the signal the script sends (batch-images/agent/spotNoticeSignal.ts).
    expect(spotNotice).toContain(`--signal ${SPOT_NOTICE_SIGNAL.replace(/^SIG/, '')} "$container"`);
    for (const [, template] of ofType('AWS::EC2::LaunchTemplate')) {
      const userData = renderIntrinsics((template.Properties!.LaunchTemplateData as { UserData: { 'Fn::Base64': unknown } }).UserData['Fn::Base64']);
      expect(userData).toMatch(/^Content-Type: multipart\/mixed; boundary=/m);
      expect(userData).toContain('Content-Type: text/x-shellscript');
      // No new job is placed on a doomed instance; the host script tells the running one.
      expect(userData).toContain('echo ECS_ENABLE_SPOT_INSTANCE_DRAINING=true >> /etc/ecs/ecs.config');
      expect(userData).toContain(spotNotice);
      expect(userData).toContain('systemctl enable --now --no-block prover-burst-spot-notice.service');
    }
  });

  it('the agents of one instance share a host directory, created for the image\'s user at boot, to empty instances whole', () => {
    const userDataOf = (template: { Properties?: Record<string, unknown> }) =>
      renderIntrinsics((template.Properties!.LaunchTemplateData as { UserData: { 'Fn::Base64': unknown } }).UserData['Fn::Base64']);
    const created = ofType('AWS::EC2::LaunchTemplate').map(([, template]) => userDataOf(template).match(/install -d -o 1000 -g 1000 -m 0700 (\S+)/)?.[1]);
    expect(created.sort()).toEqual(['/var/lib/prover-burst/agents/heavy', '/var/lib/prover-burst/agents/light']);
    for (const tier of ['Heavy', 'Light']) {
      const definition = resources[logicalId(resources, 'AWS::Batch::JobDefinition', `${tier}Agents`)]!;
      const container = definition.Properties!.ContainerProperties as { Volumes: unknown[]; MountPoints: unknown[] };
      const hostPath = `/var/lib/prover-burst/agents/${tier.toLowerCase()}`;
      expect(container.Volumes).toEqual([{ Name: 'instance-presence', Host: { SourcePath: hostPath } }]);
      expect(container.MountPoints).toEqual([{ SourceVolume: 'instance-presence', ContainerPath: '/var/run/prover-burst/instance' }]);
      expect(agentConfigSchema.parse(plausibleEnvironment(resources, containerEnvironment(definition)))).toMatchObject({
        AGENT_PRESENCE_DIR: '/var/run/prover-burst/instance',
        HEAVY_AGENTS_PER_INSTANCE: 4,
        LIGHT_AGENTS_PER_INSTANCE: 16,
        AGENT_PACKING_DELAY_MS: 180_000,
      });
    }
  });

  it('builds each tier\'s agent image from batch-images/Dockerfile for linux/amd64 (staged at synth, built at deploy)', () => {
    const manifest = JSON.parse(readFileSync(join(app.outdir, `${app.stack.artifactId}.assets.json`), 'utf8')) as {
      dockerImages: Record<string, { source: { directory: string; dockerFile: string; dockerBuildArgs?: Record<string, string>; platform?: string } }>;
    };
    const images = Object.values(manifest.dockerImages).map(({ source }) => source);
    expect(images.map((image) => [image.dockerFile, image.dockerBuildArgs?.TIER]).sort()).toEqual([
      ['batch-images/Dockerfile', 'heavy'],
      ['batch-images/Dockerfile', 'light'],
    ]);
    for (const image of images) {
      expect(image.platform).toBe('linux/amd64');
      const staged = join(app.outdir, image.directory);
      expect(existsSync(join(staged, 'batch-images', 'agent', 'main.ts'))).toBe(true);
      // Only what the image needs is sent to Docker (batch-images/Dockerfile.dockerignore).
      expect(existsSync(join(staged, 'node_modules'))).toBe(false);
      expect(existsSync(join(staged, 'infra'))).toBe(false);
    }
  });
});

describe('queues, storage and keys: encrypted, TLS only, shaped as the adapters expect', () => {
  const dataKey = () => ({ 'Fn::GetAtt': [logicalId(resources, 'AWS::KMS::Key', 'DataKey'), 'Arn'] });

  it('two lanes per tier, each a queue and a dead-letter queue, KMS-encrypted; receives beyond the agents\' failures + 3 dead-letter', () => {
    const queues = ofType('AWS::SQS::Queue').filter(([id]) => id.includes('Queues'));
    expect(queues).toHaveLength(8);
    for (const [, queue] of queues) expect(queue.Properties).toMatchObject({ KmsMasterKeyId: dataKey() });
    const mainQueues = queues.filter(([, queue]) => queue.Properties?.RedrivePolicy !== undefined).map(([id]) => id.replace(/^ProvingOrchestratorQueues/, '').replace(/[0-9A-F]{8}$/, ''));
    expect(mainQueues.sort()).toEqual(['Heavy', 'HeavyLane1', 'Light', 'LightLane1']);
    for (const lane of mainQueues) {
      const [id] = queues.find(([queueId]) => new RegExp(`^ProvingOrchestratorQueues${lane}[0-9A-F]{8}$`).test(queueId))!;
      expect(resources[id]!.Properties).toMatchObject({
        ReceiveMessageWaitTimeSeconds: 20,
        VisibilityTimeout: 120,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(resources, 'AWS::SQS::Queue', `Queues${lane}DeadLetters`), 'Arn'] }, maxReceiveCount: 6 },
      });
    }
    // Every queue's policy refuses plain HTTP.
    const tlsOnly = ofType('AWS::SQS::QueuePolicy').map(([, policy]) => policy.Properties!.PolicyDocument);
    expect(tlsOnly).toHaveLength(9);
    for (const document of tlsOnly) {
      expect(document).toMatchObject({ Statement: expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) });
    }
  });

  it('the job table: on demand, PITR, TTL, customer-managed key, the pk key and the keys-only runsByClass index', () => {
    app.template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'runClass', AttributeType: 'S' },
        { AttributeName: 'runId', AttributeType: 'S' },
      ]),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'runsByClass',
          KeySchema: [
            { AttributeName: 'runClass', KeyType: 'HASH' },
            { AttributeName: 'runId', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: dataKey() },
    });
  });

  it('the artifact bucket: SSE-KMS with bucket keys, all public access blocked, TLS only, artifacts expire', () => {
    app.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: dataKey() } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 7, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }] },
    });
    app.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('encryption everywhere: logs, the alarm topic, the RPC secret; the data key rotates, the signer key is secp256k1 and kept', () => {
    for (const [id, group] of ofType('AWS::Logs::LogGroup')) expect({ id, key: group.Properties?.KmsKeyId }).toEqual({ id, key: dataKey() });
    app.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    app.template.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: dataKey() });
    app.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, KeySpec: Match.absent() });
    app.template.hasResource('AWS::KMS::Key', {
      Properties: { KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY' },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('the network: private subnets, one NAT gateway, flow logs, gateway and interface endpoints for every AWS service called', () => {
    app.template.resourceCountIs('AWS::EC2::NatGateway', 1);
    app.template.resourceCountIs('AWS::EC2::FlowLog', 1);
    const services = ofType('AWS::EC2::VPCEndpoint').map(([, endpoint]) => renderIntrinsics(endpoint.Properties!.ServiceName).split('.').slice(3).join('.'));
    expect(services.sort()).toEqual(
      ['batch', 'dynamodb', 'ecr.api', 'ecr.dkr', 'ecs', 'ecs-agent', 'ecs-telemetry', 'kms', 'logs', 's3', 'secretsmanager', 'sqs', 'states', 'sts'].sort(),
    );
    // The agents' security group lets nothing in and only HTTPS out.
    app.template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('agents'),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
      SecurityGroupIngress: Match.absent(),
    });
  });
});

describe('IAM: no wildcard actions, every grant scoped to this deployment\'s resources', () => {
  /** Actions AWS accepts only on Resource "*" (no resource-level permissions). */
  const ONLY_ON_EVERYTHING = new Set([
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    'xray:GetSamplingRules',
    'xray:GetSamplingTargets',
    'batch:ListJobs',
    'batch:DescribeJobs',
    'ecr:GetAuthorizationToken',
    // Which instance types the region offers (deploy time).
    'ec2:DescribeInstanceTypeOfferings',
    // A state machine's log delivery.
    'logs:CreateLogDelivery',
    'logs:GetLogDelivery',
    'logs:UpdateLogDelivery',
    'logs:DeleteLogDelivery',
    'logs:ListLogDeliveries',
    'logs:PutResourcePolicy',
    'logs:DescribeResourcePolicies',
    'logs:DescribeLogGroups',
    // The VPC's default security group is emptied by CDK's custom resource, which describes it first.
    'ec2:DescribeSecurityGroups',
  ]);
  let statements: GrantedStatement[];
  beforeAll(() => {
    statements = identityStatements(resources);
  });

  it('no statement grants Action "*" or a whole service', () => {
    const wildcard = statements.filter((statement) => statement.actions.some((action) => action === '*' || /:\*$/.test(action)));
    expect(wildcard).toEqual([]);
    for (const [, key] of ofType('AWS::KMS::Key')) {
      for (const statement of (key.Properties!.KeyPolicy as { Statement: { Action: string | string[]; Principal: unknown }[] }).Statement) {
        // The account root's kms:* is CDK's default key policy (IAM decides); no service gets a wildcard.
        if (JSON.stringify(statement.Principal).includes(':root')) continue;
        expect([statement.Action].flat().filter((action) => action === '*' || action === 'kms:*')).toEqual([]);
      }
    }
  });

  it('a bare "*" resource only for the actions AWS cannot scope', () => {
    const bare = statements.filter((statement) => statement.effect === 'Allow' && statement.resources.includes('*'));
    expect(bare.length).toBeGreaterThan(0);
    for (const statement of bare) expect({ role: statement.role, actions: statement.actions.filter((action) => !ONLY_ON_EVERYTHING.has(action)) }).toEqual({ role: statement.role, actions: [] });
  });

  it('every other resource is one of this stack\'s, or a pattern under one (artifacts/*, the table\'s indexes, Batch jobs)', () => {
    const ownResource = (resource: unknown) => {
      const text = renderIntrinsics(resource);
      if (/^<[A-Za-z0-9]+(\.[A-Za-z]+)?>(:\*|\/index\/\*|\/artifacts\/\*)?$/.test(text)) return true;
      return [/^arn:aws:batch:us-east-1:123456789012:job-definition\/<ProvingOrchestrator(Heavy|Light)AgentsAgent[0-9A-F]{8}>\.split\('\/'\)\[1\]\.split\(':'\)\[0\]$/, /^arn:aws:batch:us-east-1:123456789012:job\/\*$/, /^arn:aws:ecr:us-east-1:123456789012:repository\/cdk-[a-z0-9]+-container-assets-/, /^arn:aws:ec2:us-east-1:123456789012:security-group\/<[A-Za-z0-9]+\.DefaultSecurityGroup>$/].some((pattern) => pattern.test(text));
    };
    const foreign = statements.filter((statement) => !statement.resources.includes('*')).flatMap((statement) => statement.resources.filter((resource) => !ownResource(resource)).map((resource) => ({ role: statement.role, resource: renderIntrinsics(resource) })));
    expect(foreign).toEqual([]);
  });

  /** The services and sensitive actions each principal is granted: exactly what its code calls. */
  const granted = (role: string) => {
    const actions = statements.filter((statement) => statement.role === role && statement.effect === 'Allow').flatMap((statement) => statement.actions);
    return { services: [...new Set(actions.map((action) => action.split(':')[0]))].sort(), actions: new Set(actions) };
  };
  const jobRole = (tier: string) => logicalId(resources, 'AWS::IAM::Role', `${tier}AgentsJobRole`);

  it.each([
    ['Planner', ['dynamodb', 'kms', 's3', 'secretsmanager', 'sqs', 'xray']],
    ['Scaler', ['batch', 'dynamodb', 'kms', 's3', 'secretsmanager', 'sqs', 'states', 'xray']],
    ['Submitter', ['batch', 'dynamodb', 'kms', 's3', 'secretsmanager', 'sqs', 'xray']],
    ['Settler', ['batch', 'dynamodb', 'kms', 'secretsmanager', 'xray']],
    ['Watcher', ['batch', 'dynamodb', 'kms', 's3', 'secretsmanager', 'sqs', 'states', 'xray']],
    ['Quote', ['dynamodb', 'kms', 'secretsmanager', 'xray']],
  ])('%s reaches only the services its handler calls', (name, services) => {
    expect(granted(roleOfFunction(resources, functionId(name))).services).toEqual(services);
  });

  it("the scaler may save its memory: TransactWriteItems needs each action's own permission on the job table (PutItem of FLEETMEMORY, UpdateItem of FLEETTICK)", () => {
    const scaler = roleOfFunction(resources, functionId('Scaler'));
    const onTable = (action: string) =>
      statements.some((statement) => statement.role === scaler && statement.effect === 'Allow' && statement.actions.includes(action) && statement.resources.some((resource) => /^<ProvingOrchestratorStorageJobs[0-9A-F]{8}\.Arn>$/.test(renderIntrinsics(resource))));
    expect(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'].filter((action) => !onTable(action))).toEqual([]);
  });

  it('the agents: the table, the bucket, both queues, task tokens and (SIMULATED) the attester key; never Batch or the RPC secret', () => {
    for (const tier of ['Heavy', 'Light']) expect(granted(jobRole(tier)).services).toEqual(['dynamodb', 'kms', 's3', 'sqs', 'states']);
  });

  it('the scaler may tag what SubmitJob tags: both job queues, the job definition (and its revision) and the new jobs, with our two keys only', () => {
    const scaler = roleOfFunction(resources, functionId('Scaler'));
    const tagging = statements.filter((statement) => statement.role === scaler && statement.actions.includes('batch:TagResource'));
    for (const statement of tagging) {
      expect(statement.actions).toEqual(['batch:TagResource']);
      expect(statement.condition).toEqual({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['prover-burst:tier', 'prover-burst:reason'] } });
    }
    const perTier = (tier: string) => {
      const definition = logicalId(resources, 'AWS::Batch::JobDefinition', `${tier}Agents`);
      return [
        `<${logicalId(resources, 'AWS::Batch::JobQueue', `${tier}AgentsQueue`)}.JobQueueArn>`,
        `<${logicalId(resources, 'AWS::Batch::JobQueue', `${tier}AgentsOnDemandQueue`)}.JobQueueArn>`,
        `<${definition}>`,
        `arn:aws:batch:us-east-1:123456789012:job-definition/<${definition}>.split('/')[1].split(':')[0]`,
      ];
    };
    expect([...new Set(tagging.flatMap((statement) => statement.resources.map(renderIntrinsics)))].sort()).toEqual(
      [...perTier('Heavy'), ...perTier('Light'), 'arn:aws:batch:us-east-1:123456789012:job/*'].sort(),
    );
  });

  it('CloudWatch may use the data key only for this account\'s alarms in this region', () => {
    const key = resources[logicalId(resources, 'AWS::KMS::Key', 'DataKey')]!;
    const statements = (key.Properties!.KeyPolicy as { Statement: { Principal: { Service?: string }; Condition?: unknown }[] }).Statement;
    expect(statements.filter((statement) => statement.Principal.Service === 'cloudwatch.amazonaws.com').map((statement) => statement.Condition)).toEqual([
      { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:*' } },
    ]);
  });

  it('the sensitive actions belong to the few that need them', () => {
    const holders = (action: string) =>
      [...['Planner', 'Scaler', 'Submitter', 'Settler', 'Watcher', 'Quote'].map((name) => [name, roleOfFunction(resources, functionId(name))]), ['HeavyAgents', jobRole('Heavy')], ['LightAgents', jobRole('Light')]]
        .filter(([, role]) => granted(role!).actions.has(action))
        .map(([name]) => name);
    expect(holders('kms:Sign')).toEqual(['Submitter', 'Quote', 'HeavyAgents', 'LightAgents']);
    expect(holders('batch:SubmitJob')).toEqual(['Scaler']);
    expect(holders('batch:TerminateJob')).toEqual(['Scaler']);
    expect(holders('batch:CancelJob')).toEqual(['Scaler']);
    expect(holders('batch:ListJobs')).toEqual(['Scaler', 'Submitter', 'Settler', 'Watcher']);
    // Quoting reads the fleet targets (FLEET#* items only).
    expect(holders('dynamodb:GetItem')).toContain('Quote');
    expect(holders('states:StartExecution')).toEqual(['Watcher']);
    expect(holders('states:SendTaskSuccess')).toEqual(['Scaler', 'Watcher', 'HeavyAgents', 'LightAgents']);
    expect(holders('s3:PutObject')).toEqual(['Planner', 'HeavyAgents', 'LightAgents']);
    expect(holders('s3:DeleteObject')).toEqual([]);
    expect(holders('sqs:ReceiveMessage')).toEqual(['HeavyAgents', 'LightAgents']);
    expect(holders('dynamodb:Scan')).toEqual([]);
    expect(holders('dynamodb:DeleteItem')).toEqual([]);
    expect(holders('secretsmanager:GetSecretValue')).toEqual(['Planner', 'Scaler', 'Submitter', 'Settler', 'Watcher', 'Quote']);
    // Each agent role consumes its own tier's lanes only.
    const consumes = (tier: string) =>
      statements.filter((statement) => statement.role === jobRole(tier) && statement.actions.includes('sqs:ReceiveMessage')).flatMap((statement) => statement.resources.map(renderIntrinsics));
    for (const tier of ['Heavy', 'Light']) {
      expect(consumes(tier).sort()).toEqual([
        expect.stringMatching(new RegExp(`^<ProvingOrchestratorQueues${tier}[0-9A-F]{8}\\.Arn>$`)),
        expect.stringMatching(new RegExp(`^<ProvingOrchestratorQueues${tier}Lane1[0-9A-F]{8}\\.Arn>$`)),
      ]);
    }
  });
});

describe('the functions', () => {
  const properties = (name: string) => resources[functionId(name)]!.Properties!;
  const environmentOf = (name: string) => plausibleEnvironment(resources, (properties(name).Environment as { Variables: Record<string, unknown> }).Variables);

  it.each(['Planner', 'Scaler', 'Submitter', 'Settler', 'Watcher', 'Quote'])('%s: Node.js 22 on arm64, traced, in the VPC, logs KMS-encrypted', (name) => {
    expect(properties(name)).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      VpcConfig: { SubnetIds: expect.any(Array), SecurityGroupIds: expect.any(Array) },
      LoggingConfig: { LogGroup: expect.anything() },
    });
  });

  it('the planner has room for a 61,440-tx plan; the watcher outlives its WATCH_SECONDS loop', () => {
    expect(properties('Planner')).toMatchObject({ MemorySize: 2048, Timeout: 900 });
    const watcher = environmentOf('Watcher');
    expect(properties('Watcher').Timeout as number).toBeGreaterThan(Number(watcher.WATCH_SECONDS) + 30);
    expect(properties('Watcher').Timeout as number).toBeLessThanOrEqual(120);
  });

  it('the planner\'s environment satisfies plannerConfigSchema', () => {
    const parsed = plannerConfigSchema.safeParse(environmentOf('Planner'));
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it.each(['Planner', 'Scaler', 'Submitter', 'Watcher'])('%s is given both lanes of each tier, urgent first, and the 300 s split', (name) => {
    const parsed = pipelineConfigSchema.parse(environmentOf(name));
    expect(parsed.QUEUE_LANE_SLACK_SECONDS).toEqual([300]);
    for (const tier of ['HEAVY', 'LIGHT'] as const) {
      expect(parsed[`${tier}_QUEUE_URL`]).toHaveLength(2);
      expect(parsed[`${tier}_DLQ_URL`] ?? []).toHaveLength(name === 'Planner' ? 0 : 2);
    }
  });

  it.each(['Scaler', 'Submitter', 'Settler', 'Watcher', 'Quote'])('%s\'s environment satisfies blockRunConfigSchema', (name) => {
    const parsed = blockRunConfigSchema.safeParse(environmentOf(name));
    expect(parsed.error?.issues ?? []).toEqual([]);
    // The RPC URL only ever comes from the secret; the processes that start or stop agents know the Batch names.
    expect(parsed.data?.L1_RPC_URL).toBeUndefined();
    expect(parsed.data?.L1_RPC_SECRET_ARN).toMatch(/^arn:aws:secretsmanager:/);
    if (name !== 'Quote') expect(parsed.data).toMatchObject({ HEAVY_JOB_QUEUE: expect.any(String), LIGHT_ON_DEMAND_JOB_QUEUE: expect.any(String), HEAVY_JOB_DEFINITION: expect.any(String) });
  });

  it.each(['Scaler', 'Watcher', 'Quote'])('%s sizes and quotes by the agents a launch brings up on the default types: 4 heavy, 16 light (a c6i.32xlarge)', (name) => {
    expect(blockRunConfigSchema.parse(environmentOf(name))).toMatchObject({ HEAVY_AGENTS_PER_INSTANCE: 4, LIGHT_AGENTS_PER_INSTANCE: 16 });
  });

  it('only the submitter and the quote API are given the signer; only the watcher starts runs', () => {
    const signers = ['Planner', 'Scaler', 'Submitter', 'Settler', 'Watcher', 'Quote'].filter((name) => 'SIGNER_KMS_KEY_ID' in environmentOf(name));
    expect(signers).toEqual(['Submitter', 'Quote']);
    expect(environmentOf('Watcher').STATE_MACHINE_ARN).toMatch(/^arn:aws:states:/);
  });

  it.each(['Heavy', 'Light'])('the %s agents\' environment satisfies agentConfigSchema (SIMULATED prover attesting with the signer key)', (tier) => {
    const definition = resources[logicalId(resources, 'AWS::Batch::JobDefinition', `${tier}Agents`)]!;
    const parsed = agentConfigSchema.safeParse(plausibleEnvironment(resources, containerEnvironment(definition)));
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data).toMatchObject({ AGENT_TIER: tier.toLowerCase(), PROVER_BACKEND: 'simulated-kms', AGENT_MAX_FAILURES: 3 });
    // Agents answer task tokens, which name their execution: no state machine ARN, so no dependency on the machine.
    expect(containerEnvironment(definition).STATE_MACHINE_ARN).toBeUndefined();
    // The attester is the signer key itself: the development verifier accepts only the prover id's attestations.
    expect(containerEnvironment(definition).ATTESTER_KMS_KEY_ID).toEqual({ 'Fn::GetAtt': [logicalId(resources, 'AWS::KMS::Key', 'SignerKey'), 'Arn'] });
  });

  it('the watcher runs every minute, retried by neither EventBridge nor Lambda, its undelivered and failed ticks kept', () => {
    const missedTicks = logicalId(resources, 'AWS::SQS::Queue', 'MissedWatcherTicks');
    app.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionId('Watcher'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [missedTicks, 'Arn'] } },
        }),
      ],
    });
    app.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId('Watcher') },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [missedTicks, 'Arn'] } } },
    });
  });

  it('the quote API is public (sequencers hold no AWS identity; the function checks their signatures), throttled and logged', () => {
    app.template.resourceCountIs('AWS::Lambda::Url', 0);
    app.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, route]) => [route.Properties!.RouteKey, route.Properties!.AuthorizationType ?? 'NONE']);
    expect(routes.sort()).toEqual([
      ['GET /health', 'NONE'],
      ['POST /quote', 'NONE'],
    ]);
    app.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [logicalId(resources, 'AWS::Logs::LogGroup', 'QuoteApiAccessLogs'), 'Arn'] } },
    });
    app.template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', FunctionName: { 'Fn::GetAtt': [functionId('Quote'), 'Arn'] } });
  });

  it('every bundle loads in plain Node as an ES module and exports its handler (esbuild, no Docker)', () => {
    const bundles = ['Planner', 'Scaler', 'Submitter', 'Settler', 'Watcher', 'Quote', 'ProverIdReader', 'InstanceTypesReader'].map((name) => {
      const key = renderIntrinsics((properties(name).Code as { S3Key: unknown }).S3Key).replace(/\.zip$/, '');
      return pathToFileURL(join(app.outdir, `asset.${key}`, 'index.mjs')).href;
    });
    // A separate Node process, as Lambda loads it: no test runner's module system in between.
    const script = 'for (const bundle of process.argv.slice(1)) console.log(typeof (await import(bundle)).handler);';
    // The bundles run on Node 22 in Lambda; here the SDK would warn about Node 20 on stderr.
    const env = { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const output = execFileSync(process.execPath, ['--input-type=module', '--eval', script, ...bundles], { encoding: 'utf8', env, stdio: 'pipe' });
    expect(output.trim().split('\n')).toEqual(bundles.map(() => 'function'));
  });
});

describe('the block run state machine', () => {
  it('is a Standard machine named by CloudFormation (so it can be replaced), with tracing and full logging (no execution data)', () => {
    app.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      StateMachineName: Match.absent(),
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
  });

  it('logs under /aws/vendedlogs/states/, which one account-wide resource policy covers (its 5,120-character limit)', () => {
    const group = resources[logicalId(resources, 'AWS::Logs::LogGroup', 'BlockRunLogs')]!;
    expect(group.Properties!.LogGroupName).toMatch(/^\/aws\/vendedlogs\/states\/ProverBurst-ProvingOrchestrator-BlockRun-[A-F0-9]{8}$/);
  });

  it('its definition matches the snapshot (Lambda ARNs as logical ids: no asset hashes)', () => {
    const machine = ofType('AWS::StepFunctions::StateMachine')[0]![1];
    // Logical ids without their hash suffix: the snapshot changes with the definition, not with construct paths.
    const definition = JSON.parse(renderIntrinsics(machine.Properties!.DefinitionString).replace(/[0-9A-F]{8}(?=\.Arn>)/g, '')) as unknown;
    expect(definition).toMatchSnapshot();
  });
});

describe('observability', () => {
  it('alarms for dead letters per tier and lane, deadline at risk, submission failed, an abandoned run and a failing watcher go to the topic', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([id, alarm]) => ({ id, properties: alarm.Properties! }));
    const topic = { Ref: logicalId(resources, 'AWS::SNS::Topic', 'Alarms') };
    expect(alarms.map(({ id }) => id.replace(/^ProvingOrchestratorObservability/, '').replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(
      ['DeadlineAtRisk', 'HeavyDeadLetters', 'HeavyLane1DeadLetters', 'LightDeadLetters', 'LightLane1DeadLetters', 'RunAbandoned', 'SubmissionFailed', 'WatcherFailing'].sort(),
    );
    for (const { properties } of alarms) expect(properties).toMatchObject({ AlarmActions: [topic], OKActions: [topic], TreatMissingData: 'notBreaching' });
  });

  it('the dashboard shows block progress, queue depth, agents per tier, proofs per minute and the estimated cost', () => {
    const dashboard = ofType('AWS::CloudWatch::Dashboard')[0]![1];
    const body = renderIntrinsics(dashboard.Properties!.DashboardBody);
    for (const title of ['Block runs', 'Block progress', 'Queue depth: heavy', 'Queue depth: light', 'Agents per tier', 'Proofs per minute', 'Estimated cost', 'Deadline']) {
      expect(body).toContain(`"title":"${title}`);
    }
    // The agent counts are the scaler's EMF metrics (runtime/aws/scalingMetrics.ts, test/infra/scalingMetrics.test.ts).
    for (const tier of ['heavy', 'light']) {
      for (const metric of ['AgentsRunning', 'AgentsStarting']) expect(body).toContain(`["ProverBurst","${metric}","Tier","${tier}","service","${SCALER_SERVICE}"`);
    }
    app.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ProverBurst',
      MetricName: 'DeadlineAtRisk',
      Dimensions: [{ Name: 'service', Value: SCALER_SERVICE }],
      Statistic: 'Maximum',
      Threshold: 1,
    });
  });

  it('proofs, plans, submissions and abandoned runs are counted from the structured logs', () => {
    app.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ ($.message = "agent event") && ($.event.type = "proved") }',
      MetricTransformations: [{ MetricNamespace: 'ProverBurst', MetricName: 'ProofsCompleted', MetricValue: '1', Dimensions: [{ Key: 'Tier', Value: '$.event.tier' }] }],
    });
    app.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.message = "planned block" }',
      MetricTransformations: [Match.objectLike({ MetricName: 'JobsPlanned', MetricValue: '$.jobs' })],
    });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('leaves no finding unacknowledged, and every acknowledgement says why', () => {
    const nag = app.validationReport.pluginReports.find((report) => report.pluginName === 'AwsSolutions')!;
    expect(nag.conclusion).toBe('success');
    expect(nag.violations).toEqual([]);
    const acknowledged = (nag as unknown as { suppressedViolations: { ruleName: string; reason: string; violatingConstructs: { constructPath: string }[] }[] }).suppressedViolations;
    for (const finding of acknowledged) expect(finding.reason.length, finding.ruleName).toBeGreaterThan(60);
    // What is acknowledged, and where: a new finding shows up here in review.
    expect(
      acknowledged
        .flatMap((finding) => finding.violatingConstructs.map((construct) => `${finding.ruleName.replace(/[0-9A-F]{8}(?=\.Arn)/g, '')} @ ${construct.constructPath.replace('ProverBurst/ProvingOrchestrator/', '')}`))
        .sort(),
    ).toMatchSnapshot();
  });

  it('every finding acknowledged for checkov and cfn-lint (npm run validate:infra) carries its reason in the template', () => {
    const acknowledged: { id: string; rule: string; reason: string }[] = [];
    for (const [id, resource] of Object.entries(resources) as [string, { Metadata?: Record<string, unknown> }][]) {
      const checkov = resource.Metadata?.checkov as { skip: { id: string; comment: string }[] } | undefined;
      for (const skip of checkov?.skip ?? []) acknowledged.push({ id, rule: skip.id, reason: skip.comment });
      const cfnLint = resource.Metadata?.['cfn-lint'] as { config: { ignore_checks: string[] }; reasons: Record<string, string> } | undefined;
      for (const rule of cfnLint?.config.ignore_checks ?? []) acknowledged.push({ id, rule, reason: cfnLint!.reasons[rule] ?? '' });
    }
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { id, rule, reason } of acknowledged) expect({ id, rule, long: reason.length > 60 }).toEqual({ id, rule, long: true });
  });

  it('the CloudFormation validator finds nothing either', () => {
    const validator = app.validationReport.pluginReports.find((report) => report.pluginName === 'CloudFormation Validate');
    expect(validator?.violations ?? []).toEqual([]);
  });
});
