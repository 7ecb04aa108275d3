import { Duration, Names, RemovalPolicy } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type {
  TaskStateBase} from 'aws-cdk-lib/aws-stepfunctions';
import {
  Choice,
  Condition,
  DefinitionBody,
  Errors,
  IntegrationPattern,
  JsonPath,
  LogLevel,
  Parallel,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Timeout,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { LAMBDA_FUNCTION_FINDINGS, acknowledgeFindings } from '../constructs/validatorFindings.js';

export interface BlockRunStateMachineProps {
  /** The plan state's function (`functions/planner`). */
  readonly planner: IFunction;
  /** Provision, re-scale and the task-token hand-off (`functions/scaler`). */
  readonly scaler: IFunction;
  /** Submit and confirm, signing with KMS (`functions/submitter`). */
  readonly submitter: IFunction;
  /** Settle and abandon (`functions/settler`). */
  readonly settler: IFunction;
  /**
   * How often the prove state re-sizes capacity while it waits for the root proof.
   * @default Duration.seconds(30)
   */
  readonly rescaleInterval?: Duration;
  /**
   * How long to wait before submitting again (parent unproven, another prover's window still open).
   * @default Duration.seconds(6)
   */
  readonly submitRetryInterval?: Duration;
  /**
   * Encrypts the execution logs.
   * @default the log group's default encryption
   */
  readonly logsKey?: IKey;
  /**
   * How long execution logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
}

/** State names; the local executor binds handlers to them and the dashboard refers to them. */
export const BLOCK_RUN_STATES = {
  plan: 'Plan',
  provision: 'Provision',
  reprovision: 'ReprovisionForRoot',
  prove: 'Prove',
  awaitRoot: 'AwaitRootProof',
  rescaleWait: 'WaitBeforeRescale',
  rescale: 'Rescale',
  submit: 'Submit',
  submitWait: 'WaitBeforeSubmitting',
  confirm: 'Confirm',
  settle: 'Settle',
  abandon: 'Abandon',
} as const;

/** CDK already retries Lambda's own service faults on every invoke; throttling is the one transient fault left. */
const LAMBDA_THROTTLED = ['Lambda.TooManyRequestsException'];

/** Log groups Step Functions delivers to need a resource policy; under this prefix one policy covers them all. */
const VENDED_LOGS_PREFIX = '/aws/vendedlogs/states/';

/**
 * One Standard execution per block, named from the block: plan → provision → prove (wait for the root proof's task
 * token, timing out at the deadline, while a loop re-sizes capacity) → submit ⇄ confirm → settle. Every failure,
 * the plan state's included, is caught into the abandon state, which records the reason. No state is ever run per
 * proof. The machine's name is CloudFormation's, so a change that replaces it can deploy.
 */
export class BlockRunStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: BlockRunStateMachineProps) {
    super(scope, id);
    // The execution's input is the BlockRunRequest: its runId is there before the plan state has run (or failed).
    const runId = JsonPath.stringAt('$.runId');
    const invoke = (name: string, fn: IFunction, payload: Record<string, unknown> | 'state input', resultPath: string) => {
      const task = new LambdaInvoke(this, name, {
        lambdaFunction: fn,
        // Without a payload the function receives the state input as it is.
        ...(payload === 'state input' ? {} : { payload: TaskInput.fromObject(payload) }),
        payloadResponseOnly: true,
        resultPath,
        // Longer than any function's own timeout (the planner's is 15 minutes for a 61,440-tx block).
        taskTimeout: Timeout.duration(Duration.minutes(16)),
      });
      task.addRetry({ errors: LAMBDA_THROTTLED, interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2 });
      return task;
    };

    const abandon = invoke(BLOCK_RUN_STATES.abandon, props.settler, { step: 'abandon', runId, 'error.$': '$.error' }, '$.abandon')
      .addRetry({ errors: [Errors.ALL], interval: Duration.seconds(5), maxAttempts: 5, backoffRate: 2 })
      .next(new Succeed(this, 'Abandoned'));
    /** Every failure a state does not retry ends in the abandon state, the error at $.error. */
    const catchInto = <T extends TaskStateBase | Parallel>(state: T): T => {
      state.addCatch(abandon, { resultPath: '$.error' });
      return state;
    };

    // The execution's input is the BlockRunRequest the watcher started it with; the planner takes it as is. A planner
    // that keeps failing (RPC down, body unreadable) is abandoned like any other state, with its error.
    const plan = catchInto(
      invoke(BLOCK_RUN_STATES.plan, props.planner, 'state input', '$.plan').addRetry({
        errors: [Errors.TASKS_FAILED],
        interval: Duration.seconds(5),
        maxAttempts: 3,
        backoffRate: 2,
      }),
    );
    // A refused body was recorded as abandoned by the planner itself, with its reason.
    const planned = new Choice(this, 'Planned?')
      .when(Condition.stringEquals('$.plan.state', 'abandoned'), new Succeed(this, 'Refused'));

    const provision = catchInto(invoke(BLOCK_RUN_STATES.provision, props.scaler, { step: 'provision', runId }, '$.provision'));
    // A root proven again (its stored copy failed the digest check) re-enters the prove state: provisioning again
    // brings agents back and renews $.provision.secondsToLatestDeadline, the prove state's timeout, which has run down.
    const reprovision = catchInto(invoke(BLOCK_RUN_STATES.reprovision, props.scaler, { step: 'provision', runId }, '$.provision'));

    const awaitRoot = new LambdaInvoke(this, BLOCK_RUN_STATES.awaitRoot, {
      lambdaFunction: props.scaler,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({ step: 'await-root', runId, taskToken: JsonPath.taskToken }),
      taskTimeout: Timeout.at('$.provision.secondsToLatestDeadline'),
      resultPath: '$.root',
    });
    const rescaleWait = new Wait(this, BLOCK_RUN_STATES.rescaleWait, {
      time: WaitTime.duration(props.rescaleInterval ?? Duration.seconds(30)),
    });
    const rescale = invoke(BLOCK_RUN_STATES.rescale, props.scaler, { step: 'rescale', runId }, '$.rescale');
    const rescaleLoop = rescaleWait
      .next(rescale)
      .next(new Choice(this, 'StillProving?').when(Condition.booleanEquals('$.rescale.proving', true), rescaleWait).otherwise(new Succeed(this, 'RescalingDone')));
    const prove = catchInto(
      new Parallel(this, BLOCK_RUN_STATES.prove, { resultPath: JsonPath.DISCARD }).branch(awaitRoot).branch(rescaleLoop),
    );

    const submit = catchInto(
      invoke(BLOCK_RUN_STATES.submit, props.submitter, { step: 'submit', runId }, '$.submit').addRetry({
        errors: [Errors.TASKS_FAILED],
        interval: Duration.seconds(5),
        maxAttempts: 6,
        backoffRate: 1.5,
      }),
    );
    const confirm = catchInto(
      invoke(BLOCK_RUN_STATES.confirm, props.submitter, { step: 'confirm', runId }, '$.confirm').addRetry({
        errors: [Errors.TASKS_FAILED],
        interval: Duration.seconds(10),
        maxAttempts: 6,
        backoffRate: 1.5,
      }),
    );
    const settle = catchInto(invoke(BLOCK_RUN_STATES.settle, props.settler, { step: 'settle', runId }, '$.settle')).next(
      new Succeed(this, 'Settled'),
    );
    const submitWait = new Wait(this, BLOCK_RUN_STATES.submitWait, { time: WaitTime.duration(props.submitRetryInterval ?? Duration.seconds(6)) });
    const ended = new Succeed(this, 'EndedElsewhere', { comment: 'abandoned by a check (pruned, proven by another firm) or no longer submitting' });

    submitWait.next(submit);
    submit.next(
      new Choice(this, 'SubmitOutcome')
        .when(Condition.stringEquals('$.submit.kind', 'sent'), confirm)
        .when(Condition.stringEquals('$.submit.kind', 'confirmed'), settle)
        .when(Condition.stringEquals('$.submit.kind', 'wait'), submitWait)
        .when(Condition.stringEquals('$.submit.kind', 'reproving'), reprovision)
        .otherwise(ended),
    );
    confirm.next(
      new Choice(this, 'ConfirmOutcome')
        .when(Condition.stringEquals('$.confirm.kind', 'confirmed'), settle)
        .when(Condition.stringEquals('$.confirm.kind', 'resubmit'), submitWait)
        .otherwise(ended),
    );
    prove.next(submit);
    provision.next(prove);
    reprovision.next(prove);
    planned.otherwise(provision);

    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `${VENDED_LOGS_PREFIX}${Names.uniqueResourceName(this, { maxLength: 512 - VENDED_LOGS_PREFIX.length, separator: '-' })}`,
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
      ...(props.logsKey ? { encryptionKey: props.logsKey } : {}),
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(plan.next(planned)),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
    });
    acknowledgeFindings(this.stateMachine, LAMBDA_FUNCTION_FINDINGS.filter((finding) => finding.rule === 'W3005'));
  }
}
