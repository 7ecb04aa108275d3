import { currentDeadline } from '../../core/run/currentDeadline.js';
import { PROVING_DEADLINE_PASSED, provingDeadlinePassed } from '../../core/run/provingDeadline.js';
import { provisionRun } from '../../core/run/provisionRun.js';
import { rescaleRuns } from '../../core/run/rescaleRuns.js';
import type { ProtocolParameters } from '../../core/protocol/types.js';
import type { AwsClientOptions } from '../../runtime/aws/clients.js';
import { functionObservability, lambdaHandler, tracedClients } from '../../runtime/aws/observability.js';
import { lazyBlockRunContext } from '../../runtime/aws/blockRunContext.js';
import { scalingMetrics } from '../../runtime/aws/scalingMetrics.js';
import { parseStepEvent, scalerEventSchema } from '../../runtime/aws/stepEvents.js';

const SERVICE = 'prover-burst-scaler';

/**
 * The provision state, the prove state's re-scaling loop, and the prove state's task-token hand-off:
 * `provision` sizes capacity and starts proving (returning the seconds to the latest the block's deadline can move
 * to, the prove state's timeout: a late parent's proof moves it); `rescale` re-sizes every tier and says whether the
 * run is still proving (past L1's current deadline it abandons the run, which fails the waiting token); `await-root`
 * stores the task token the root proof will answer.
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
      const [now, parameters] = await Promise.all([deps.chain.latestTimestamp(), deps.chain.parameters()]);
      return {
        runId: step.runId,
        state: run?.state ?? 'missing',
        secondsToLatestDeadline: Math.max(1, Math.floor(latestDeadline(run?.provingDeadline ?? now, parameters) - now)),
      };
    }
    const now = await deps.chain.latestTimestamp();
    const before = await deps.store.getRun(step.runId);
    if (before && provingDeadlinePassed(before, now) && now >= (await currentDeadline(deps, before))) {
      await driver.fail(step.runId, PROVING_DEADLINE_PASSED);
    } else {
      metrics.publish(await rescaleRuns(metrics.observing(deps), settings), before ? before.provingDeadline - now : null);
    }
    const run = await deps.store.getRun(step.runId);
    return { runId: step.runId, state: run?.state ?? 'missing', proving: run?.state === 'provisioning' || run?.state === 'proving' };
  };
}

/**
 * The latest a block's deadline can move to: each restart counts from a parent's proof, which is itself bounded by
 * the parent's deadline, and at most maxPendingBlocks blocks wait for proof at once.
 */
function latestDeadline(deadline: number, parameters: ProtocolParameters): number {
  return deadline + (parameters.maxPendingBlocks - 1) * parameters.provingDeadlineSeconds;
}

const observability = functionObservability(SERVICE);
export const handler = lambdaHandler(observability, createScalerHandler(process.env, {}, observability));
