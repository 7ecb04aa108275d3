import { PROVING_DEADLINE_PASSED } from '../../core/run/provingDeadline.js';
import { abandonRun } from '../../core/run/abandonRun.js';
import { settleRun } from '../../core/run/settleRun.js';
import type { AwsClientOptions } from '../../runtime/aws/clients.js';
import { functionObservability, lambdaHandler, tracedClients } from '../../runtime/aws/observability.js';
import { lazyBlockRunContext } from '../../runtime/aws/blockRunContext.js';
import { parseStepEvent, settlerEventSchema } from '../../runtime/aws/stepEvents.js';

const SERVICE = 'prover-burst-settler';

/** Step Functions error names, as the Catch paths deliver them, in words for the run's record. */
const REASONS: Readonly<Record<string, string>> = {
  'States.Timeout': PROVING_DEADLINE_PASSED,
  'States.HeartbeatTimeout': 'the prove state stopped hearing from the run',
};

/**
 * The settle state (the proof is final on L1; release idle capacity) and the abandon state every Catch path ends in,
 * recording the reason: the one given, the failed task's cause, or the Step Functions error in words.
 */
export function createSettlerHandler(env: NodeJS.ProcessEnv = process.env, clientOptions: AwsClientOptions = {}, observability = functionObservability(SERVICE, env)) {
  const context = lazyBlockRunContext(env, { service: SERVICE, signing: false, clientOptions: tracedClients(observability.tracer, clientOptions), log: observability.log });
  return async (event: unknown) => {
    const step = parseStepEvent('settler', settlerEventSchema, event);
    const { deps } = await context();
    if (step.step === 'settle') {
      const run = (await settleRun(deps, step.runId)) ?? (await deps.store.getRun(step.runId));
      return { runId: step.runId, state: run?.state ?? 'missing' };
    }
    const caught = step.error;
    const reason =
      step.reason ?? (caught?.Error && REASONS[caught.Error]) ?? caught?.Cause ?? caught?.Error ?? 'the block run failed';
    const run = (await abandonRun(deps, step.runId, reason)) ?? (await deps.store.getRun(step.runId));
    return { runId: step.runId, state: run?.state ?? 'missing', reason: run?.stateReason ?? reason };
  };
}

const observability = functionObservability(SERVICE);
export const handler = lambdaHandler(observability, createSettlerHandler(process.env, {}, observability));
