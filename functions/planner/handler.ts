import { parseBlockRunInput } from '../../adapters/aws/blockRunInput.js';
import type { RunState } from '../../core/ports/provingRun.js';
import { planRun } from '../../core/run/planRun.js';
import type { AwsClientOptions } from '../../runtime/aws/clients.js';
import { functionObservability, lambdaHandler, tracedClients } from '../../runtime/aws/observability.js';
import { createPlannerDependencies, type PlannerDependencies } from './plannerDependencies.js';

const SERVICE = 'prover-burst-planner';

/** What the plan state hands on to the rest of the block run. */
export interface PlanSummary {
  readonly runId: string;
  readonly state: RunState;
  readonly jobCount: number;
  readonly criticalPathSeconds: number;
  readonly stateReason: string;
}

/**
 * The plan state of a block run: the event is the BlockRunRequest (bigints as decimal strings); core `planRun`
 * fetches and checks the revealed body, records the run and enqueues the ready jobs. A refused body is a run in
 * state `abandoned` with the reason, not an error; a second invocation for the same run is a no-op.
 */
export function createPlannerHandler(env: NodeJS.ProcessEnv = process.env, clientOptions: AwsClientOptions = {}, observability = functionObservability(SERVICE, env)) {
  let dependencies: Promise<PlannerDependencies> | undefined;
  return async (event: unknown): Promise<PlanSummary> => {
    const request = parseBlockRunInput(event);
    dependencies ??= createPlannerDependencies(env, tracedClients(observability.tracer, clientOptions), observability.log).catch((error: unknown) => {
      dependencies = undefined;
      throw error;
    });
    const { deps, settings } = await dependencies;
    const run = await planRun(deps, settings, request);
    return { runId: run.runId, state: run.state, jobCount: run.jobCount, criticalPathSeconds: run.criticalPathSeconds, stateReason: run.stateReason };
  };
}

const observability = functionObservability(SERVICE);
export const handler = lambdaHandler(observability, createPlannerHandler(process.env, {}, observability));
