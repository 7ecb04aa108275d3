import { createPublicClient, createWalletClient, type Address, type LocalAccount } from 'viem';
import { createKmsAccount } from '../../adapters/aws/kmsAccount.js';
import { createStepFunctionsDriver, type StepFunctionsDriver } from '../../adapters/aws/stepFunctionsDriver.js';
import { systemClock } from '../../adapters/embedded/systemClock.js';
import type { Logger } from '../../core/ports/logger.js';
import { createRunDependencies, type RunDependencies, type RunSettings } from '../../core/run/runDependencies.js';
import { createRollupChain } from '../../l1/rollup/createRollupChain.js';
import type { L1PublicClient } from '../../l1/transactions/l1Clients.js';
import { createAwsClients, type AwsClientOptions, type AwsClients } from './clients.js';
import { blockRunConfigSchema, readConfig, type BlockRunConfig } from './config.js';
import { l1Connection } from './l1RpcUrl.js';
import { powertoolsLogger } from './logger.js';
import { createPipelineAdapters } from './pipelineAdapters.js';
import { readOnlyAccount } from './readOnlyAccount.js';
import { cloudRunSettings, LAMBDA_RUN_CACHE } from './runSettings.js';
import { stateRootOracle } from './stateRoots.js';
import { SignerNotConfiguredError } from './errors/runtimeErrors.js';

/** Everything a block-run state, the watcher or the quote API needs; built once per cold start. */
export interface BlockRunContext {
  readonly config: BlockRunConfig;
  readonly deps: RunDependencies;
  readonly settings: RunSettings;
  readonly driver: StepFunctionsDriver;
  readonly publicClient: L1PublicClient;
  /** The KMS-backed signer, or a read-only account for processes that never sign. */
  readonly signer: LocalAccount;
  readonly log: Logger;
  readonly clients: AwsClients;
}

export interface BlockRunContextOptions {
  /** Names the Powertools service in logs. */
  readonly service: string;
  /** Whether this process signs on L1 (the submitter, the quote API). */
  readonly signing: boolean;
  readonly clientOptions?: AwsClientOptions;
  /** The function's logger (functionObservability), which carries the Lambda context. @default a new one */
  readonly log?: Logger;
}

/**
 * Reads the configuration once, builds the AWS adapters, the L1 client (signing through KMS when asked — the key
 * never leaves KMS, and never sits in an environment variable) and the Step Functions driver.
 */
export async function createBlockRunContext(env: NodeJS.ProcessEnv, options: BlockRunContextOptions): Promise<BlockRunContext> {
  const config = readConfig(blockRunConfigSchema, env);
  const log = options.log ?? powertoolsLogger(options.service);
  const clients = createAwsClients(options.clientOptions);
  const { chain, transport } = await l1Connection(config, () => clients.secretsManager);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 1_000 });
  let signer: LocalAccount;
  if (options.signing) {
    if (!config.SIGNER_KMS_KEY_ID) throw new SignerNotConfiguredError(options.service);
    signer = await createKmsAccount({ client: clients.kms, keyId: config.SIGNER_KMS_KEY_ID });
  } else {
    signer = readOnlyAccount(config.PROVER_ID as Address);
  }
  const rollupChain = createRollupChain({
    publicClient,
    walletClient: createWalletClient({ account: signer, chain, transport }),
    rollup: config.ROLLUP_ADDRESS as Address,
  });
  const adapters = createPipelineAdapters(config, clients, systemClock, log);
  const deps = createRunDependencies(
    { ...adapters, chain: rollupChain, clock: systemClock, log, stateRoots: stateRootOracle(config.STATE_ROOT_SOURCE, rollupChain) },
    LAMBDA_RUN_CACHE,
  );
  const base = cloudRunSettings({ proverId: config.PROVER_ID as Address, profile: config.CIRCUIT_PROFILE, maxTxs: config.MAX_TXS });
  const settings: RunSettings = {
    ...base,
    confirmations: config.L1_CONFIRMATIONS,
    scaling: {
      ...base.scaling,
      maxAgents: { heavy: config.MAX_HEAVY_AGENTS, light: config.MAX_LIGHT_AGENTS },
      urgentSlackSeconds: config.URGENT_SLACK_SECONDS,
      secondsPerExpectedSecond: config.EXPECTED_SECOND_SCALE,
      launchRate: {
        burstInstances: config.LAUNCH_BUCKET_INSTANCES,
        instancesPerSecond: config.LAUNCH_INSTANCES_PER_SECOND,
        agentsPerInstance: { heavy: config.HEAVY_AGENTS_PER_INSTANCE, light: config.LIGHT_AGENTS_PER_INSTANCE },
        startupSeconds: config.AGENT_STARTUP_SECONDS,
      },
    },
  };
  const driver = createStepFunctionsDriver({
    sfn: clients.sfn,
    secondsPerExpectedSecond: config.EXPECTED_SECOND_SCALE,
    ...(config.STATE_MACHINE_ARN ? { stateMachineArn: config.STATE_MACHINE_ARN } : {}),
    deps: { ...adapters, clock: systemClock, log, runs: deps.runs },
  });
  return { config, deps, settings, driver, publicClient, signer, log, clients };
}

/** Builds the context on first use and again after a failed build (a cold start that hit a transient error). */
export function lazyBlockRunContext(env: NodeJS.ProcessEnv, options: BlockRunContextOptions): () => Promise<BlockRunContext> {
  let context: Promise<BlockRunContext> | undefined;
  return () => {
    context ??= createBlockRunContext(env, options).catch((error: unknown) => {
      context = undefined;
      throw error;
    });
    return context;
  };
}
