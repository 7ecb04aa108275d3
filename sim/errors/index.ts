import { ProverBurstError } from '../../core/errors/base.js';

/** A scenario name the simulator does not know. */
export class UnknownScenarioError extends ProverBurstError {
  override name = 'UnknownScenarioError';
  constructor(
    readonly scenario: string,
    readonly known: readonly string[],
  ) {
    super(`unknown scenario "${scenario}" (known: ${known.join(', ')})`, { scenario, known });
  }
}

/** A model override file that cannot be read, is not JSON, or sets a value the model does not accept. */
export class SimModelError extends ProverBurstError {
  override name = 'SimModelError';
  constructor(
    readonly source: string,
    readonly problem: string,
  ) {
    super(`model ${source}: ${problem}`, { source, problem });
  }
}

/** The simulation broke its own rules (an agent loop threw): the figures cannot be trusted. */
export class SimulationFault extends ProverBurstError {
  override name = 'SimulationFault';
  constructor(override readonly cause: unknown) {
    super(`the simulation faulted: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`, {});
  }
}

/** A `--txs` block-size mix the stream cannot read (`4096`, or `1024:0.6,4096:0.3,16384:0.1`). */
export class InvalidTxsMixError extends ProverBurstError {
  override name = 'InvalidTxsMixError';
  constructor(
    readonly spec: string,
    readonly problem: string,
  ) {
    super(`block-size mix "${spec}": ${problem}`, { spec, problem });
  }
}

/** A simulated agent asked for its instance's presence but was placed on no instance: a simulator bug. */
export class AgentWithoutInstanceError extends ProverBurstError {
  override name = 'AgentWithoutInstanceError';
  constructor(readonly agentId: string) {
    super(`simulator bug: agent ${agentId} runs on no instance`, { agentId });
  }
}

/** A launch rate that can never bring up the instances a block needs: the cold bound would search for ever. */
export class InvalidLaunchRateError extends ProverBurstError {
  override name = 'InvalidLaunchRateError';
  constructor(
    readonly rate: unknown,
    readonly problem: string,
  ) {
    super(`launch rate ${JSON.stringify(rate)}: ${problem}`, { rate, problem });
  }
}
