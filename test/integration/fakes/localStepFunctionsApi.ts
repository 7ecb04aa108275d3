import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// aws-local-stepfunctions targets Node 22; on Node 20 it needs this (the mission notes say as much).
(Promise as unknown as { withResolvers?: unknown }).withResolvers ??= function withResolvers<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

/** A task state bound to a local function: it receives the state's processed Parameters. */
export type LocalTaskHandler = (input: unknown) => Promise<unknown>;

export interface LocalExecution {
  readonly name: string;
  readonly arn: string;
  readonly input: unknown;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: string;
  /** Names of the states entered, in order (from the executor's event log). */
  readonly states: string[];
  readonly done: Promise<void>;
}

/** A task failed with a Step Functions error name, as SendTaskFailure reports it. */
class TaskFailure extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

export interface LocalStepFunctionsApi {
  readonly url: string;
  readonly stateMachineArn: string;
  readonly executions: ReadonlyMap<string, LocalExecution>;
  /** Every StartExecution call, including refused duplicates. */
  readonly starts: { readonly name: string; readonly accepted: boolean }[];
  /** Resolves when SendTaskSuccess arrives for `token` (or rejects on SendTaskFailure); answers that came first count. */
  waitForToken(token: string): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * A local stand-in for the Step Functions API: it speaks the JSON protocol the SDK uses for StartExecution,
 * DescribeExecution, SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat, and runs each execution of the given
 * (CDK-synthesized) definition with aws-local-stepfunctions, task states bound to local functions. Names are unique,
 * as in AWS: a second start with a used name is refused with ExecutionAlreadyExists. Each execution's task token is
 * `<name>/token`, so SendTaskSuccess from any process (agents) reaches the waiting state.
 */
export async function startLocalStepFunctionsApi(options: {
  readonly definition: Record<string, unknown>;
  readonly taskHandlers: Readonly<Record<string, LocalTaskHandler>>;
  readonly waitTimeOverrides?: Readonly<Record<string, number>>;
  /** Milliseconds between retries of a state, instead of its Retry policy's intervals. */
  readonly retryIntervalOverrides?: Readonly<Record<string, number>>;
}): Promise<LocalStepFunctionsApi> {
  const { StateMachine } = await import('aws-local-stepfunctions');
  const stateMachineArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:block-run';
  const machine = new StateMachine(options.definition as never, { validationOptions: { checkArn: false, checkPaths: true } });
  const executions = new Map<string, LocalExecution>();
  const starts: { name: string; accepted: boolean }[] = [];
  const answered = new Map<string, { ok: true; output: unknown } | { ok: false; error: string; cause: string }>();
  const waiting = new Map<string, (answer: { ok: true; output: unknown } | { ok: false; error: string; cause: string }) => void>();

  const answer = (token: string, result: { ok: true; output: unknown } | { ok: false; error: string; cause: string }) => {
    const waiter = waiting.get(token);
    if (waiter) {
      waiting.delete(token);
      waiter(result);
    } else {
      answered.set(token, result);
    }
  };

  const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
  const operations: Record<string, (body: Record<string, unknown>) => unknown> = {
    StartExecution(body) {
      const name = text(body.name, '');
      if (executions.has(name)) {
        starts.push({ name, accepted: false });
        throw Object.assign(new Error(`Execution Already Exists: '${stateMachineArn.replace('stateMachine', 'execution')}:${name}'`), {
          type: 'ExecutionAlreadyExists',
        });
      }
      starts.push({ name, accepted: true });
      const arn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
      const input = JSON.parse(text(body.input, '{}')) as unknown;
      const run = machine.run(input as never, {
        context: { Execution: { Id: arn, Name: name, Input: input as never }, Task: { Token: `${name}/token` } },
        overrides: {
          taskResourceLocalHandlers: options.taskHandlers as never,
          waitTimeOverrides: (options.waitTimeOverrides ?? {}),
          retryIntervalOverrides: (options.retryIntervalOverrides ?? {}),
        },
      });
      const execution: LocalExecution = {
        name,
        arn,
        input,
        status: 'RUNNING',
        states: [],
        done: run.result.then(
          (output: unknown) => {
            execution.status = 'SUCCEEDED';
            execution.output = output;
          },
          (error: unknown) => {
            execution.status = 'FAILED';
            execution.error = error instanceof Error ? error.message : String(error);
          },
        ),
      };
      void (async () => {
        for await (const event of run.eventLogs as AsyncIterable<{ type: string; state?: { name: string } }>) {
          if (event.type === 'StateEntered' && event.state) execution.states.push(event.state.name);
        }
      })().catch(() => undefined);
      executions.set(name, execution);
      return { executionArn: arn, startDate: Date.now() / 1000 };
    },
    DescribeExecution(body) {
      const execution = [...executions.values()].find((e) => e.arn === body.executionArn);
      if (!execution) throw Object.assign(new Error('no such execution'), { type: 'ExecutionDoesNotExist' });
      return {
        executionArn: execution.arn,
        name: execution.name,
        status: execution.status,
        ...(execution.output === undefined ? {} : { output: JSON.stringify(execution.output) }),
      };
    },
    SendTaskSuccess(body) {
      answer(text(body.taskToken, ''), { ok: true, output: JSON.parse(text(body.output, '{}')) as unknown });
      return {};
    },
    SendTaskFailure(body) {
      answer(text(body.taskToken, ''), { ok: false, error: text(body.error, 'TaskFailed'), cause: text(body.cause, '') });
      return {};
    },
    SendTaskHeartbeat() {
      return {};
    },
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
      const reply = (status: number, payload: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(payload));
      };
      const operation = operations[target];
      if (!operation) return reply(400, { __type: 'UnknownOperationException', message: `the local Step Functions API has no ${target}` });
      try {
        reply(200, operation(JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>));
      } catch (error) {
        const { type, message } = error as { type?: string; message?: string };
        reply(400, { __type: type ?? 'InvalidParameterValue', message: message ?? String(error) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stateMachineArn,
    executions,
    starts,
    waitForToken(token) {
      return new Promise((resolve, reject) => {
        const settle = (result: { ok: true; output: unknown } | { ok: false; error: string; cause: string }) =>
          result.ok ? resolve(result.output) : reject(new TaskFailure(result.error, result.cause));
        const early = answered.get(token);
        if (early) {
          answered.delete(token);
          settle(early);
        } else {
          waiting.set(token, settle);
        }
      });
    },
    async close() {
      for (const [token, waiter] of waiting) {
        waiting.delete(token);
        waiter({ ok: false, error: 'States.Runtime', cause: 'the local Step Functions API closed' });
      }
      await Promise.allSettled([...executions.values()].map((execution) => execution.done));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
