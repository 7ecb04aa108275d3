import { confirmRun } from '../../core/run/confirmRun.js';
import { submitRun } from '../../core/run/submitRun.js';
import type { AwsClientOptions } from '../../runtime/aws/clients.js';
import { functionObservability, lambdaHandler, tracedClients } from '../../runtime/aws/observability.js';
import { lazyBlockRunContext } from '../../runtime/aws/blockRunContext.js';
import { parseStepEvent, submitterEventSchema } from '../../runtime/aws/stepEvents.js';

const SERVICE = 'prover-burst-submitter';

/**
 * The submit and confirm states, signing with the KMS key. `submit` reads the chain first (idempotent: a proof
 * already sent is never sent again) and returns an outcome the state machine branches on: sent, confirmed, wait,
 * abandoned, reproving or skipped. `confirm` waits for the confirmations: confirmed, resubmit or abandoned.
 */
export function createSubmitterHandler(env: NodeJS.ProcessEnv = process.env, clientOptions: AwsClientOptions = {}, observability = functionObservability(SERVICE, env)) {
  const context = lazyBlockRunContext(env, { service: SERVICE, signing: true, clientOptions: tracedClients(observability.tracer, clientOptions), log: observability.log });
  return async (event: unknown) => {
    const step = parseStepEvent('submitter', submitterEventSchema, event);
    const { deps, settings } = await context();
    const outcome = step.step === 'submit' ? await submitRun(deps, settings, step.runId) : await confirmRun(deps, settings, step.runId);
    return { runId: step.runId, ...outcome };
  };
}

const observability = functionObservability(SERVICE);
export const handler = lambdaHandler(observability, createSubmitterHandler(process.env, {}, observability));
