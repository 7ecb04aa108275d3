import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { parseBlockRunInput, toBlockRunInput } from '../../adapters/aws/blockRunInput.js';
import { agentConfigSchema } from '../../batch-images/agent/agentConfig.js';
import { emulatorClients, uniqueName } from '../../test/integration/support/awsTestEnvironment.js';
import { blockRunConfigSchema, pipelineConfigSchema, plannerConfigSchema, readConfig } from './config.js';
import { ConfigError } from './errors/runtimeErrors.js';
import { l1RpcUrl } from './l1RpcUrl.js';
import { RpcSecretError } from './errors/runtimeErrors.js';

const PIPELINE = {
  JOB_TABLE_NAME: 'jobs',
  ARTIFACT_BUCKET: 'artifacts',
  HEAVY_QUEUE_URL: 'http://127.0.0.1:4566/queue/us-east-1/000000000000/heavy',
  LIGHT_QUEUE_URL: 'http://127.0.0.1:4566/queue/us-east-1/000000000000/light',
};

describe('configuration from the environment', () => {
  it('names every bad variable with what it held, and never echoes a key', () => {
    const error = (() => {
      try {
        readConfig(agentConfigSchema, { ...PIPELINE, AGENT_TIER: 'medium', PROVER_BACKEND: 'simulated', PROVER_DEV_PRIVATE_KEY: '0x1234' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((problem) => problem.variable).sort()).toEqual(['AGENT_TIER', 'PROVER_DEV_PRIVATE_KEY']);
    expect(problems.find((problem) => problem.variable === 'AGENT_TIER')?.value).toBe('medium');
    expect(problems.find((problem) => problem.variable === 'PROVER_DEV_PRIVATE_KEY')?.value).toBe('<redacted>');
  });

  it('reads lane queues as comma-separated URLs and the lane splits as ascending seconds; unset is one lane', () => {
    const oneLane = readConfig(pipelineConfigSchema, PIPELINE);
    expect(oneLane.HEAVY_QUEUE_URL).toEqual([PIPELINE.HEAVY_QUEUE_URL]);
    expect(oneLane.QUEUE_LANE_SLACK_SECONDS).toBeUndefined();
    const lanes = { ...PIPELINE, HEAVY_QUEUE_URL: `${PIPELINE.HEAVY_QUEUE_URL}-0, ${PIPELINE.HEAVY_QUEUE_URL}-1`, QUEUE_LANE_SLACK_SECONDS: '300' };
    expect(readConfig(pipelineConfigSchema, lanes)).toMatchObject({
      HEAVY_QUEUE_URL: [`${PIPELINE.HEAVY_QUEUE_URL}-0`, `${PIPELINE.HEAVY_QUEUE_URL}-1`],
      QUEUE_LANE_SLACK_SECONDS: [300],
    });
    for (const bad of ['300,60', 'soon', '-5', '']) expect(() => readConfig(pipelineConfigSchema, { ...lanes, QUEUE_LANE_SLACK_SECONDS: bad })).toThrow(/QUEUE_LANE_SLACK_SECONDS/);
    expect(() => readConfig(pipelineConfigSchema, { ...lanes, LIGHT_QUEUE_URL: 'not a url,' })).toThrow(/LIGHT_QUEUE_URL/);
  });

  it('gives a barretenberg agent the genuine Ignition SRS unless it asks for the development one', () => {
    expect(readConfig(agentConfigSchema, { ...PIPELINE, AGENT_TIER: 'heavy', PROVER_BACKEND: 'barretenberg' })).toMatchObject({ NOIR_TREE_SRS: 'ignition' });
    expect(() => readConfig(agentConfigSchema, { ...PIPELINE, AGENT_TIER: 'heavy', PROVER_BACKEND: 'barretenberg', NOIR_TREE_SRS: 'tau' })).toThrow(/NOIR_TREE_SRS/);
  });

  it('asks the planner for exactly one source of the L1 RPC URL', () => {
    const planner = { ...PIPELINE, L1_CHAIN_ID: '31337', ROLLUP_ADDRESS: `0x${'1'.repeat(40)}`, PROVER_ID: `0x${'2'.repeat(40)}`, STATE_ROOT_SOURCE: 'devnet-transition' };
    expect(() => readConfig(plannerConfigSchema, planner)).toThrow('set exactly one of L1_RPC_URL and L1_RPC_SECRET_ARN');
    expect(readConfig(plannerConfigSchema, { ...planner, L1_RPC_URL: 'http://127.0.0.1:8545' })).toMatchObject({
      CIRCUIT_PROFILE: 'rfp-2023',
      MAX_TXS: 61_440,
      L1_CHAIN_ID: 31_337,
    });
  });

  it('asks every Lambda that plans or walks a run to name its state-root source: none is defaulted', () => {
    const planner = { ...PIPELINE, L1_CHAIN_ID: '31337', ROLLUP_ADDRESS: `0x${'1'.repeat(40)}`, PROVER_ID: `0x${'2'.repeat(40)}`, L1_RPC_URL: 'http://127.0.0.1:8545' };
    expect(() => readConfig(plannerConfigSchema, planner)).toThrow(/STATE_ROOT_SOURCE .*\(got nothing\)/);
    expect(() => readConfig(blockRunConfigSchema, planner)).toThrow(/STATE_ROOT_SOURCE .*\(got nothing\)/);
    expect(() => readConfig(plannerConfigSchema, { ...planner, STATE_ROOT_SOURCE: 'rollup-node' })).toThrow(/STATE_ROOT_SOURCE .*\(got "rollup-node"\)/);
    expect(readConfig(blockRunConfigSchema, { ...planner, STATE_ROOT_SOURCE: 'devnet-transition' })).toMatchObject({ STATE_ROOT_SOURCE: 'devnet-transition' });
  });

  it("reads the launch rate the scaler sizes by: EC2's documented bucket and one agent per instance unless configured", () => {
    const run = { ...PIPELINE, L1_CHAIN_ID: '31337', ROLLUP_ADDRESS: `0x${'1'.repeat(40)}`, PROVER_ID: `0x${'2'.repeat(40)}`, L1_RPC_URL: 'http://127.0.0.1:8545', STATE_ROOT_SOURCE: 'devnet-transition' };
    expect(readConfig(blockRunConfigSchema, run)).toMatchObject({
      LAUNCH_BUCKET_INSTANCES: 1_000,
      LAUNCH_INSTANCES_PER_SECOND: 2,
      HEAVY_AGENTS_PER_INSTANCE: 1,
      LIGHT_AGENTS_PER_INSTANCE: 1,
      AGENT_STARTUP_SECONDS: 80,
    });
    expect(readConfig(blockRunConfigSchema, { ...run, LIGHT_AGENTS_PER_INSTANCE: '4', LAUNCH_INSTANCES_PER_SECOND: '5' })).toMatchObject({ LIGHT_AGENTS_PER_INSTANCE: 4, LAUNCH_INSTANCES_PER_SECOND: 5 });
    expect(() => readConfig(blockRunConfigSchema, { ...run, HEAVY_AGENTS_PER_INSTANCE: '0' })).toThrow(/HEAVY_AGENTS_PER_INSTANCE/);
  });

  it('carries bigints of a block run request as decimal strings and refuses numbers', () => {
    const request = {
      runId: 'b9-0123456789abcdef',
      blockNumber: 2n ** 70n,
      slot: 9n,
      bodyHash: `0x${'ab'.repeat(32)}`,
      revealedIn: `0x${'cd'.repeat(32)}`,
      txCount: 32,
      parentBlock: 8n,
      revealedAt: 1_700_000_000,
      provingDeadline: 1_700_000_300,
      exclusiveUntil: 1_700_000_100,
      committedProver: `0x${'0'.repeat(40)}`,
      reason: 'committed',
    } as const;
    const event = JSON.parse(JSON.stringify(toBlockRunInput(request))) as Record<string, unknown>;
    expect(event.blockNumber).toBe('1180591620717411303424');
    expect(parseBlockRunInput(event)).toEqual(request);
    expect(() => parseBlockRunInput({ ...event, blockNumber: 9 })).toThrow();
  });
});

describe('the L1 RPC URL from Secrets Manager (on LocalStack)', () => {
  const clients = emulatorClients();
  const secret = async (value: string) =>
    (await clients.secretsManager.send(new CreateSecretCommand({ Name: uniqueName('l1-rpc'), SecretString: value }))).ARN!;

  it('reads a plain URL or JSON with a url, and names a secret that holds neither', async () => {
    const secrets = () => clients.secretsManager;
    expect(await l1RpcUrl({ L1_RPC_SECRET_ARN: await secret('https://l1.example/rpc/key123') }, secrets)).toBe('https://l1.example/rpc/key123');
    expect(await l1RpcUrl({ L1_RPC_SECRET_ARN: await secret('{"url":"https://l1.example/v2"}') }, secrets)).toBe('https://l1.example/v2');
    await expect(l1RpcUrl({ L1_RPC_SECRET_ARN: await secret('not a url') }, secrets)).rejects.toBeInstanceOf(RpcSecretError);
    expect(await l1RpcUrl({ L1_RPC_URL: 'http://127.0.0.1:8545' }, secrets)).toBe('http://127.0.0.1:8545');
  });
});
