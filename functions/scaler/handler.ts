import { provisionRun } from '../../core/run/provisionRun.js';
import { rescaleRuns } from '../../core/run/rescaleRuns.js';
import type { AwsClientOptions } from '../shared/clients.js';
import { functionObservability, lambdaHandler, tracedClients } from '../shared/observability.js';
import { lazyBlockRunContext } from '../shared/blockRunContext.js';
import { scalingMetrics } from '../shared/scalingMetrics.js';
import { parseStepEvent, scalerEventSchema } from '../shared/stepEvents.js';

const SERVICE = 'prover-burst-scaler';

/**
 * The provision state, the prove state's re-scaling loop, and the prove state's task-token hand-off:
 * `provision` sizes capacity and starts proving (returning the seconds left to the deadline, the prove state's
 * timeout); `rescale` re-sizes every tier and says whether the run is still proving (past the deadline it abandons
 * the run, which fails the waiting token); `await-root` stores the task token the root proof will answer.
 */
export function createScalerHandler(env: NodeJS.ProcessEnv = process.env, clientOptions: AwsClientOptions = {}, observability = functionObservability(SERVICE, env)) {
  const context = lazyBlockRunContext(env, { service: SERVICE, signing: false, clientOptions: tracedClients(observability.tracer, clientOptions), log: observability.log });
  const metrics = scalingMetrics(observability.metrics);
  return async (event: unknown) => {
    const step = parseStepEvent('scaler', scalerEventSchema, event);
    const { deps, settings, driver } = await context();
    if (step.step === 'await-root') {
      await driver.recordTaskToken(step.runId, step.taskToken);
      return { runId: step.runId, waiting: true };
    }
    if (step.step === 'provision') {
      const run = (await provisionRun(deps, settings, step.runId)) ?? (await deps.store.getRun(step.runId));
      const now = await deps.chain.latestTimestamp();
      return {
        runId: step.runId,
        state: run?.state ?? 'missing',
        secondsToDeadline: Math.max(1, Math.floor((run?.provingDeadline ?? now) - now)),
      };
    }
    const now = await deps.chain.latestTimestamp();
    const before = await deps.store.getRun(step.runId);
    if (before && ['provisioning', 'proving'].includes(before.state) && now >= before.provingDeadline) {
      await driver.fail(step.runId, 'the proving deadline passed before the root proof was ready');
    } else {
      metrics.publish(await rescaleRuns(metrics.observing(deps), settings), before ? before.provingDeadline - now : null);
    }
    const run = await deps.store.getRun(step.runId);
    return { runId: step.runId, state: run?.state ?? 'missing', proving: run?.state === 'provisioning' || run?.state === 'proving' };
  };
}

const observability = functionObservability(SERVICE);
export const handler = lambdaHandler(observability, createScalerHandler(process.env, {}, observability));
