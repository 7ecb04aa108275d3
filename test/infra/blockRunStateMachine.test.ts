import { describe, expect, it } from 'vitest';
import { BLOCK_RUN_STATES } from '../../infra/blockRun/blockRunStateMachine.js';
import { validateAsl } from '../../infra/validation/aslValidator.js';
import { forLocalExecution, synthesizedBlockRunDefinition } from '../support/synthesizedBlockRun.js';
import '../integration/fakes/localStepFunctionsApi.js';

type States = Record<string, Record<string, unknown> & { Branches?: { States: States }[] }>;
const REQUEST = { runId: 'b7-0123456789abcdef', blockNumber: '7' };

/** Runs the synthesized definition in aws-local-stepfunctions with each task state bound to a local function. */
async function runLocally(handlers: Record<string, (input: unknown) => Promise<unknown>>) {
  const { StateMachine } = await import('aws-local-stepfunctions');
  const machine = new StateMachine(forLocalExecution(synthesizedBlockRunDefinition()) as never, { validationOptions: { checkArn: false, checkPaths: true } });
  const entered: string[] = [];
  const execution = machine.run(REQUEST, {
    context: { Task: { Token: 'token' } },
    overrides: {
      taskResourceLocalHandlers: handlers as never,
      waitTimeOverrides: { WaitBeforeRescale: 10, WaitBeforeSubmitting: 10 },
      retryIntervalOverrides: Object.fromEntries(Object.values(BLOCK_RUN_STATES).map((name) => [name, 0])),
    },
  });
  const logging = (async () => {
    for await (const event of execution.eventLogs as AsyncIterable<{ type: string; state?: { name: string } }>) {
      if (event.type === 'StateEntered' && event.state) entered.push(event.state.name);
    }
  })();
  const output = await execution.result;
  await logging;
  return { output, entered };
}

describe('the block-run state machine', () => {
  // The first synthesis in a worker loads aws-cdk-lib, which takes more than the default 30 s on a loaded machine.
  it('asl-validator accepts the definition CDK synthesizes', () => {
    const { isValid, errorsText } = validateAsl(synthesizedBlockRunDefinition());
    expect(isValid, errorsText('\n')).toBe(true);
  }, 120_000);

  it('abandons the run, with the planner\'s error, when the plan state keeps failing', async () => {
    const calls: { state: string; input: unknown }[] = [];
    const { output, entered } = await runLocally({
      Plan: async () => {
        calls.push({ state: 'Plan', input: null });
        throw Object.assign(new Error('the L1 RPC refused the connection'), { name: 'RpcError' });
      },
      Abandon: async (input) => {
        calls.push({ state: 'Abandon', input });
        return { runId: REQUEST.runId, state: 'abandoned' };
      },
    });
    expect(entered).toEqual(['Plan', 'Abandon', 'Abandoned']);
    // The runId comes from the execution's input: the plan never answered.
    expect(calls.at(-1)).toEqual({
      state: 'Abandon',
      input: { step: 'abandon', runId: REQUEST.runId, error: { Error: 'RpcError', Cause: expect.stringContaining('the L1 RPC refused the connection') } },
    });
    expect(output).toMatchObject({ abandon: { state: 'abandoned' } });
  });

  it('re-provisions before proving the root again, so the prove state\'s deadline is renewed', async () => {
    const definition = synthesizedBlockRunDefinition() as { States: States };
    const submitChoice = definition.States.SubmitOutcome as { Choices: { Variable: string; StringEquals: string; Next: string }[] };
    expect(submitChoice.Choices.find((choice) => choice.StringEquals === 'reproving')?.Next).toBe(BLOCK_RUN_STATES.reprovision);
    expect(definition.States[BLOCK_RUN_STATES.reprovision]).toMatchObject({ ResultPath: '$.provision', Next: BLOCK_RUN_STATES.prove });
    const awaitRoot = definition.States.Prove!.Branches!.flatMap((branch) => Object.entries(branch.States)).find(([name]) => name === BLOCK_RUN_STATES.awaitRoot)![1];
    expect(awaitRoot.TimeoutSecondsPath).toBe('$.provision.secondsToLatestDeadline');

    let submits = 0;
    const deadlines: number[] = [];
    const provision = async () => {
      deadlines.push(deadlines.length === 0 ? 600 : 240);
      return { runId: REQUEST.runId, state: 'proving', secondsToLatestDeadline: deadlines.at(-1) };
    };
    const { entered, output } = await runLocally({
      Plan: async () => ({ runId: REQUEST.runId, state: 'planned' }),
      Provision: provision,
      ReprovisionForRoot: provision,
      AwaitRootProof: async () => ({ runId: REQUEST.runId, rootDigest: 'sha256:00' }),
      Rescale: async () => ({ proving: false }),
      Submit: async () => (++submits === 1 ? { kind: 'reproving', why: 'corrupt root' } : { kind: 'confirmed', why: 'proven' }),
      Settle: async () => ({ runId: REQUEST.runId, state: 'settled' }),
    });
    expect(entered.filter((state) => ['Provision', 'ReprovisionForRoot', 'Prove', 'Submit', 'Settle'].includes(state))).toEqual([
      'Provision',
      'Prove',
      'Submit',
      'ReprovisionForRoot',
      'Prove',
      'Submit',
      'Settle',
    ]);
    expect(output).toMatchObject({ provision: { secondsToLatestDeadline: 240 } });
  }, 120_000);
});
