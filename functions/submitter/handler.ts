import { confirmRun } from '../../core/run/confirmRun.js';
import { submitRun } from '../../core/run/submitRun.js';
import type { AwsClientOptions } from '../shared/clients.js';
import { lazyBlockRunContext } from '../shared/blockRunContext.js';
import { parseStepEvent, submitterEventSchema } from '../shared/stepEvents.js';

/**
 * The submit and confirm states, signing with the KMS key. `submit` reads the chain first (idempotent: a proof
 * already sent is never sent again) and returns an outcome the state machine branches on: sent, confirmed, wait,
 * abandoned, reproving or skipped. `confirm` waits for the confirmations: confirmed, resubmit or abandoned.
 */
export function createSubmitterHandler(env: NodeJS.ProcessEnv = process.env, clientOptions: AwsClientOptions = {}) {
  const context = lazyBlockRunContext(env, { service: 'prover-burst-submitter', signing: true, clientOptions });
  return async (event: unknown) => {
    const step = parseStepEvent('submitter', submitterEventSchema, event);
    const { deps, settings } = await context();
    const outcome = step.step === 'submit' ? await submitRun(deps, settings, step.runId) : await confirmRun(deps, settings, step.runId);
    return { runId: step.runId, ...outcome };
  };
}

export const handler = createSubmitterHandler();
