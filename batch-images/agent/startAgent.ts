import { agentDependencies } from '../../core/agent/agentDependencies.js';
import { z } from 'zod';
import { privateKeyToAccount } from 'viem/accounts';
import { createKmsAccount } from '../../adapters/aws/kmsAccount.js';
import { createStepFunctionsDriver } from '../../adapters/aws/stepFunctionsDriver.js';
import { createHostDirectoryPresence } from '../../adapters/embedded/hostDirectoryPresence.js';
import { systemClock } from '../../adapters/embedded/systemClock.js';
import { createCommandProver } from '../../adapters/provers/commandProver.js';
import { createSimulatedProver } from '../../adapters/provers/simulatedProver.js';
import type { AgentEvent } from '../../core/agent/handleDelivery.js';
import { createRunContexts } from '../../core/run/runContexts.js';
import { noDeliveries, runAgent, type AgentSummary } from '../../core/agent/runAgent.js';
import type { ProverBackend } from '../../core/ports/proverBackend.js';
import { createAwsClients, type AwsClientOptions, type AwsClients } from '../../runtime/aws/clients.js';
import { readConfig } from '../../runtime/aws/config.js';
import { powertoolsLogger } from '../../runtime/aws/logger.js';
import { createPipelineAdapters } from '../../runtime/aws/pipelineAdapters.js';
import { agentConfigSchema, agentIdOf, agentJobSizeOf, agentSettingsOf, type AgentConfig } from './agentConfig.js';
import { hostAgentSlots } from './hostAgentSlots.js';

export interface StartAgentOptions {
  /** Aborts on SIGTERM: the agent hands its current job back and returns. */
  readonly signal: AbortSignal;
  /** Aborts on Spot's interruption notice: the agent finishes its job if it fits before the interruption, then returns. */
  readonly notice?: AbortSignal;
  readonly clientOptions?: AwsClientOptions;
  readonly onEvent?: (event: AgentEvent) => void;
}

/**
 * One agent container's life: read the environment once, build the AWS adapters, the prover backend and the Step
 * Functions driver (to report the root proof or a job failed for good), then run the core agent loop until it is
 * idle for AGENT_IDLE_EXIT_MS or told to stop. Told to stop (or noticed) before that, it builds nothing and returns.
 */
export async function startAgent(env: NodeJS.ProcessEnv, options: StartAgentOptions): Promise<AgentSummary> {
  const config = readConfig(agentConfigSchema, env);
  const agentId = agentIdOf(config);
  const log = powertoolsLogger('prover-burst-agent', { agentId, tier: config.AGENT_TIER });
  if (options.signal.aborted || options.notice?.aborted) {
    // Told to stop, or Spot's notice, while it loaded: it would take no job (`runAgent`), so it builds nothing — the
    // barretenberg backend's first start compiles circuits, for minutes, on an instance that is going away.
    const summary: AgentSummary = { agentId, counts: noDeliveries(), exit: 'stopped' };
    log.info('agent exiting', { ...summary, before: 'building its prover backend' });
    return summary;
  }
  const clients = createAwsClients(options.clientOptions);
  try {
    const adapters = createPipelineAdapters(config, clients, systemClock, log);
    const backend = await proverBackend(config, clients);
    if (backend.simulated) log.warn('this agent runs the SIMULATED prover: its proofs prove nothing', { backend: backend.name });
    const runs = createRunContexts({
      store: adapters.store,
      artifacts: adapters.artifacts,
      clock: systemClock,
      runTtlMs: config.AGENT_RUN_CACHE_MS,
      maxPlans: 2,
    });
    const driver = createStepFunctionsDriver({
      sfn: clients.sfn,
      secondsPerExpectedSecond: config.EXPECTED_SECOND_SCALE,
      ...(config.STATE_MACHINE_ARN ? { stateMachineArn: config.STATE_MACHINE_ARN } : {}),
      deps: { ...adapters, clock: systemClock, log, runs },
    });
    const settings = agentSettingsOf(config);
    log.info('agent starting', { backend: backend.name, simulated: backend.simulated, settings });
    const summary = await runAgent(
      agentDependencies(
        { ...adapters, clock: systemClock, runs, log },
        {
          tier: config.AGENT_TIER,
          agentId,
          backend,
          driver,
          ...(config.AGENT_PRESENCE_DIR ? { presence: instancePresence(config, config.AGENT_PRESENCE_DIR) } : {}),
          onEvent: (event) => {
            // One line per delivery; the start of each proof only at debug level.
            if (event.type === 'proving') log.debug('agent event', { event });
            else log.info('agent event', { event });
            options.onEvent?.(event);
          },
        },
      ),
      settings,
      options.signal,
      options.notice,
    );
    log.info('agent exiting', { ...summary });
    return summary;
  } finally {
    clients.destroy();
  }
}

/** The agents of this instance, through the host directory they share, with the slots this host holds for its job size. */
function instancePresence(config: AgentConfig, directory: string) {
  const configured = config.AGENT_TIER === 'heavy' ? config.HEAVY_AGENTS_PER_INSTANCE : config.LIGHT_AGENTS_PER_INSTANCE;
  return createHostDirectoryPresence({ directory, slots: hostAgentSlots(agentJobSizeOf(config), configured) });
}

async function proverBackend(config: AgentConfig, clients: AwsClients): Promise<ProverBackend> {
  if (config.PROVER_BACKEND === 'barretenberg') {
    // Loaded only here: noir_js, noir_wasm and bb stay out of every other agent's start (and image).
    const { noirTreeAgentBackend } = await import('../../adapters/provers/barretenberg/noirTreeAgentBackend.js');
    return noirTreeAgentBackend({
      srs: config.NOIR_TREE_SRS,
      timeoutMs: config.PROVER_TIMEOUT_MS,
      ...(config.PROVER_BURST_CACHE ? { cacheDirectory: config.PROVER_BURST_CACHE } : {}),
      ...(config.NOIR_TREE_SOURCES ? { sources: config.NOIR_TREE_SOURCES } : {}),
    });
  }
  if (config.PROVER_BACKEND === 'command') {
    const command = z.array(z.string().min(1)).min(1).parse(JSON.parse(config.PROVER_COMMAND!));
    return createCommandProver({ command, timeoutMs: config.PROVER_TIMEOUT_MS });
  }
  const attester =
    config.PROVER_BACKEND === 'simulated-kms'
      ? await createKmsAccount({ client: clients.kms, keyId: config.ATTESTER_KMS_KEY_ID! })
      : privateKeyToAccount(config.PROVER_DEV_PRIVATE_KEY! as `0x${string}`);
  const failing = config.SIMULATED_FAIL_JOB_PATTERN ? new RegExp(config.SIMULATED_FAIL_JOB_PATTERN) : null;
  return createSimulatedProver({
    clock: systemClock,
    timeScale: config.SIMULATED_TIME_SCALE,
    attester,
    ...(failing ? { failWhen: (request) => failing.test(request.jobId) } : {}),
  });
}
