import { createPublicClient, createWalletClient, type Address } from 'viem';
import { systemClock } from '../../adapters/embedded/systemClock.js';
import { createRunDependencies, type RunDependencies, type RunSettings } from '../../core/run/runDependencies.js';
import { createRollupChain } from '../../l1/rollup/createRollupChain.js';
import { createAwsClients, type AwsClientOptions } from '../../runtime/aws/clients.js';
import { plannerConfigSchema, readConfig } from '../../runtime/aws/config.js';
import type { Logger } from '../../core/ports/logger.js';
import { l1Connection } from '../../runtime/aws/l1RpcUrl.js';
import { createPipelineAdapters } from '../../runtime/aws/pipelineAdapters.js';
import { readOnlyAccount } from '../../runtime/aws/readOnlyAccount.js';
import { cloudRunSettings, LAMBDA_RUN_CACHE } from '../../runtime/aws/runSettings.js';
import { stateRootOracle } from '../../runtime/aws/stateRoots.js';

export interface PlannerDependencies {
  readonly deps: RunDependencies;
  readonly settings: RunSettings;
}

/**
 * Everything the planner needs, built once per cold start: config from the environment, the AWS adapters, the L1
 * rollup client (read-only: the planner never signs) and the configured state-root source.
 */
export async function createPlannerDependencies(env: NodeJS.ProcessEnv, clientOptions: AwsClientOptions, log: Logger): Promise<PlannerDependencies> {
  const config = readConfig(plannerConfigSchema, env);
  const clients = createAwsClients(clientOptions);
  const { chain, transport } = await l1Connection(config, () => clients.secretsManager);
  const rollupChain = createRollupChain({
    publicClient: createPublicClient({ chain, transport }),
    walletClient: createWalletClient({ account: readOnlyAccount(config.PROVER_ID as Address), chain, transport }),
    rollup: config.ROLLUP_ADDRESS as Address,
  });
  const adapters = createPipelineAdapters(config, clients, systemClock, log);
  return {
    deps: createRunDependencies(
      { ...adapters, chain: rollupChain, clock: systemClock, log, stateRoots: stateRootOracle(config.STATE_ROOT_SOURCE, rollupChain) },
      LAMBDA_RUN_CACHE,
    ),
    settings: cloudRunSettings({
      proverId: config.PROVER_ID as Address,
      profile: config.CIRCUIT_PROFILE,
      maxTxs: config.MAX_TXS,
      secondsPerExpectedSecond: config.EXPECTED_SECOND_SCALE,
    }),
  };
}
