import { createDynamoFleetTargets } from '../../../adapters/aws/dynamoFleetTargets.js';
import { createBatchAgentCapacity } from '../../../adapters/aws/batchAgentCapacity.js';
import { systemClock } from '../../../adapters/embedded/systemClock.js';
import { silentLogger, type Logger } from '../../../core/ports/logger.js';
import type { RollupChain } from '../../../core/ports/l1.js';
import { createRunDependencies, type RunDependencies } from '../../../core/run/runDependencies.js';
import type { AwsClients } from '../../../runtime/aws/clients.js';
import type { PipelineEnvironment } from './pipelineEnvironment.js';
import type { DynamoJobStore } from '../../../adapters/aws/dynamoJobStore.js';

/** RunDependencies over a pipeline environment's adapters, with the fake Batch API for capacity. */
export function runDependencies(
  clients: AwsClients,
  pipeline: PipelineEnvironment,
  chain: RollupChain,
  log: Logger = silentLogger,
): RunDependencies & { readonly store: DynamoJobStore } {
  const { store, queue, artifacts } = pipeline;
  return createRunDependencies({
    store,
    queue,
    artifacts,
    capacity: createBatchAgentCapacity({
      client: clients.batch,
      clock: systemClock,
      log,
      tiers: {
        heavy: { jobDefinition: pipeline.env.HEAVY_JOB_DEFINITION!, spotJobQueue: pipeline.env.HEAVY_JOB_QUEUE! },
        light: { jobDefinition: pipeline.env.LIGHT_JOB_DEFINITION!, spotJobQueue: pipeline.env.LIGHT_JOB_QUEUE! },
      },
    }),
    targets: createDynamoFleetTargets({ client: clients.dynamodb, tableName: pipeline.tableName }),
    chain,
    clock: systemClock,
    log,
    stateRoots: async () => ({ parentStateRoot: `0x${'01'.repeat(32)}`, newStateRoot: `0x${'02'.repeat(32)}` }),
  }, { runTtlMs: 1_000, maxPlans: 4 });
}
