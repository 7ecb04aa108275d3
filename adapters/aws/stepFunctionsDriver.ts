import { randomUUID } from 'node:crypto';
import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { BlockRunDriver, BlockRunRequest } from '../../core/ports/blockRunDriver.js';
import { abandonRun } from '../../core/run/abandonRun.js';
import { recordRootProven } from '../../core/run/recordRootProven.js';
import { claimRunStart } from '../../core/run/claimRunStart.js';
import type { RunClosingDependencies, RunRevivingDependencies } from '../../core/run/runDependencies.js';
import { toBlockRunInput } from './blockRunInput.js';
import type { DynamoJobStore } from './dynamoJobStore.js';
import { NoStateMachineError } from './errors/awsAdapterErrors.js';

export interface StepFunctionsDriverOptions {
  readonly sfn: SFNClient;
  /** The block-run state machine; only `start` needs it (agents only signal runs). */
  readonly stateMachineArn?: string;
  /** The run steps' ports; `store` must be the DynamoDB store, which keeps the task tokens. */
  readonly deps: RunClosingDependencies & RunRevivingDependencies & { readonly store: DynamoJobStore };
  /** Wall seconds per expected second of proving (EXPECTED_SECOND_SCALE): a revived run's jobs carry latest starts on it. */
  readonly secondsPerExpectedSecond: number;
}

export interface StepFunctionsDriver extends BlockRunDriver {
  /**
   * Called by the prove state's task with `$$.Task.Token`: stores it on the run. If the root was proven (or the run
   * failed) before the state was reached, the token is answered at once, so the execution never waits for nothing.
   */
  recordTaskToken(runId: string, token: string): Promise<void>;
  /** Tells the waiting prove state that the run is alive (its HeartbeatSeconds). */
  heartbeat(runId: string): Promise<void>;
}

/** Step Functions execution names: up to 80 of [A-Za-z0-9-_]. */
export function executionNameFor(request: Pick<BlockRunRequest, 'runId' | 'revealedIn'>): string {
  const name = `${request.runId}-${request.revealedIn.slice(2, 10)}`.replace(/[^A-Za-z0-9_-]/g, '-');
  return name.length <= 80 ? name : `${name.slice(0, 71)}-${request.revealedIn.slice(2, 10)}`;
}

/**
 * Block runs as Step Functions Standard executions, one per reveal, named from the run id and the reveal's L1 block,
 * so a duplicate start collides on the name. The input carries a fresh `startId`: Step Functions answers a second
 * StartExecution with the same name *and input* as success, so a duplicate would otherwise look like a start; with
 * different input it is ExecutionAlreadyExists, reported as `false`. The SDK's own retry of one call keeps its
 * input, and stays idempotent. The prove state waits on a task token that the root proof (or a failure) answers.
 */
export function createStepFunctionsDriver({ sfn, stateMachineArn, deps, secondsPerExpectedSecond }: StepFunctionsDriverOptions): StepFunctionsDriver {
  const { store, clock, log } = deps;

  /** Answers the run's waiting task; a token already answered, timed out or gone is not an error here. */
  async function answer(runId: string, send: (taskToken: string) => Promise<unknown>, token?: string): Promise<void> {
    const taskToken = token ?? (await store.taskToken(runId));
    if (!taskToken) return;
    try {
      await send(taskToken);
    } catch (error) {
      if (error instanceof TaskTimedOut || error instanceof TaskDoesNotExist || error instanceof InvalidToken) {
        log.warn('the run no longer waits on its task token', { runId, error: error.name });
        return;
      }
      throw error;
    }
  }
  const succeed = (runId: string, rootDigest: string, token?: string) =>
    answer(runId, (taskToken) => sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ runId, rootDigest }) })), token);
  const failTask = (runId: string, reason: string, token?: string) =>
    answer(
      runId,
      (taskToken) => sfn.send(new SendTaskFailureCommand({ taskToken, error: 'RunFailed', cause: reason.slice(0, 32_000) })),
      token,
    );

  return {
    async start(request) {
      if (!(await claimRunStart(deps, request, secondsPerExpectedSecond))) return false;
      if (!stateMachineArn) throw new NoStateMachineError(request.runId);
      try {
        await sfn.send(
          new StartExecutionCommand({
            stateMachineArn,
            name: executionNameFor(request),
            input: JSON.stringify({ ...toBlockRunInput(request), startId: randomUUID() }),
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ExecutionAlreadyExists) return false;
        throw error;
      }
    },

    async rootProven(runId, rootDigest) {
      await recordRootProven(store, runId, rootDigest, clock.now());
      // Answered even when the store had recorded it before: an earlier call may have died between the two.
      await succeed(runId, rootDigest);
    },

    async fail(runId, reason) {
      await abandonRun(deps, runId, reason);
      await failTask(runId, reason);
    },

    async recordTaskToken(runId, token) {
      const run = await store.recordTaskToken(runId, token);
      if (!run) return failTask(runId, `no proving run ${runId}`, token);
      if (run.rootDigest && run.state !== 'abandoned') return succeed(runId, run.rootDigest, token);
      if (run.state === 'abandoned') return failTask(runId, run.stateReason || 'the run was abandoned', token);
    },

    async heartbeat(runId) {
      await answer(runId, (taskToken) => sfn.send(new SendTaskHeartbeatCommand({ taskToken })));
    },
  };
}
