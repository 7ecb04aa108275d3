import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { BlockRunStateMachine, type BlockRunStateMachineProps } from '../../infra/blockRun/blockRunStateMachine.js';
import { renderDefinition } from '../../infra/validation/renderDefinition.js';

/**
 * The block-run state machine's definition exactly as CDK synthesizes it, as plain ASL (renderDefinition), so a local
 * executor can run it with each task state bound to a local function.
 */
export function synthesizedBlockRunDefinition(
  options: Pick<BlockRunStateMachineProps, 'rescaleInterval' | 'submitRetryInterval'> = {},
): Record<string, unknown> {
  const app = new App();
  const stack = new Stack(app, 'BlockRunDefinition', { env: { account: '123456789012', region: 'us-east-1' } });
  const fn = (name: string) =>
    new LambdaFunction(stack, name, { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('exports.handler = async () => ({});') });
  new BlockRunStateMachine(stack, 'BlockRun', {
    planner: fn('Planner'),
    scaler: fn('Scaler'),
    submitter: fn('Submitter'),
    settler: fn('Settler'),
    rescaleInterval: options.rescaleInterval ?? Duration.seconds(30),
    submitRetryInterval: options.submitRetryInterval ?? Duration.seconds(6),
  });
  const machines = Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine');
  const [machine] = Object.values(machines) as { Properties: { DefinitionString: unknown } }[];
  return renderDefinition(machine!.Properties.DefinitionString);
}

/**
 * aws-local-stepfunctions evaluates TimeoutSecondsPath against a task's processed Parameters, not its input as AWS
 * does, so the wait-for-root state's deadline timeout cannot resolve locally. This swaps that one field for a fixed
 * timeout; the deadline is still enforced, by the re-scale loop (it abandons a run past its deadline, which fails
 * the waiting token), and that is the path the local tests exercise.
 */
export function forLocalExecution(definition: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(definition) as { States: Record<string, { Branches?: { States: Record<string, Record<string, unknown>> }[] }> };
  for (const branch of copy.States.Prove?.Branches ?? []) {
    const wait = branch.States.AwaitRootProof;
    if (wait?.TimeoutSecondsPath) {
      delete wait.TimeoutSecondsPath;
      wait.TimeoutSeconds = 3_600;
    }
  }
  return copy;
}
