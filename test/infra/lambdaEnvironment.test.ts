import { App, Stack, type StackProps } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { LAMBDA_ENVIRONMENT_MAX_BYTES, lambdaEnvironmentBytes } from '../../infra/constructs/lambdaEnvironmentSize.js';
import { LambdaEnvironmentTooLargeError } from '../../infra/errors/infraErrors.js';
import { ProvingOrchestrator } from '../../infra/index.js';
import { EXAMPLE_ENV, synthesizeApp } from './synthesizedApp.js';

type Resources = Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>;

/** Each Lambda function's environment as Lambda counts it once deployed (names and values), every reference at its longest. */
function environmentSizes(resources: Resources, stackName: string, region: string | null): Record<string, number> {
  const types = new Map(Object.entries(resources).map(([id, resource]) => [id, resource.Type]));
  return Object.fromEntries(
    Object.entries(resources)
      .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
      .map(([id, resource]) => {
        const variables = (resource.Properties!.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
        return [id, lambdaEnvironmentBytes(variables, { stackName, region, partition: null, types })];
      }),
  );
}

/** The orchestrator in a stack of its own, with `lanes` queue lanes per tier; no env: the longest Region and partition are counted. */
function orchestratorStack(lanes: number, stackName: string, props: StackProps = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Lanes', { stackName, ...props });
  const splits = Array.from({ length: lanes - 1 }, (_, i) => 60 * (i + 1));
  new ProvingOrchestrator(stack, 'ProvingOrchestrator', {
    rollupAddress: '0x5B38Da6a701c568545dCfcB03FcB875f56beddC4',
    l1ChainId: 1,
    stateRootSource: 'devnet-transition',
    queueLaneSlackSeconds: splits,
  });
  return { resources: (app.synth().getStackByName(stackName).template as { Resources: Resources }).Resources, stack };
}

const LONGEST_STACK_NAME = `Prover${'x'.repeat(122)}`;

describe("Lambda's 4 KB environment limit (queue URLs are per-lane lists)", () => {
  it('counts the variables as Lambda measures them, one JSON object; a queue URL at its Region, account and 80-character name', () => {
    const types = new Map([['Q', 'AWS::SQS::Queue']]);
    const names = { stackName: 'x'.repeat(100), region: 'us-east-1', partition: 'aws', types };
    // Quotes, colons, commas, braces and escapes count: a literal environment is exactly its JSON.
    const literals = { AB: 'plain', CD: 'a "quoted" \\ value', EF: '' };
    expect(lambdaEnvironmentBytes(literals, names)).toBe(JSON.stringify(literals).length);
    expect(lambdaEnvironmentBytes({}, names)).toBe('{}'.length);
    // Outside ASCII, the \u escape (6 bytes) rather than UTF-8's 2: the larger of the two readings.
    expect(lambdaEnvironmentBytes({ AB: 'é' }, names)).toBe('{"AB":"\\u00e9"}'.length);
    expect(lambdaEnvironmentBytes({ A: '\u007f' }, names)).toBe('{"A":"\\u007f"}'.length);
    const url = 'https://sqs.us-east-1.amazonaws.com/123456789012/'.length + 80;
    expect(lambdaEnvironmentBytes({ Q: { Ref: 'Q' } }, names)).toBe('{"Q":""}'.length + url);
    expect(lambdaEnvironmentBytes({ Q: { 'Fn::Join': [',', [{ Ref: 'Q' }, { Ref: 'Q' }]] } }, names)).toBe('{"Q":""}'.length + 2 * url + 1);
  });

  it('the app as deployed (two lanes): every function fits', () => {
    const app = synthesizeApp({ bundling: false });
    const sizes = environmentSizes(app.json.Resources, app.stack.stackName, EXAMPLE_ENV.region);
    expect(Object.keys(sizes).length).toBeGreaterThanOrEqual(6);
    for (const bytes of Object.values(sizes)) expect(bytes).toBeLessThanOrEqual(LAMBDA_ENVIRONMENT_MAX_BYTES);
  });

  it("three lanes × two tiers under the app's stack name, any Region and partition: every function fits (the watcher's is the largest)", () => {
    const sizes = environmentSizes(orchestratorStack(3, 'ProverBurst').resources, 'ProverBurst', null);
    for (const bytes of Object.values(sizes)) expect(bytes).toBeLessThanOrEqual(LAMBDA_ENVIRONMENT_MAX_BYTES);
    const largest = Object.entries(sizes).reduce((a, b) => (b[1] > a[1] ? b : a));
    expect(largest[0]).toMatch(/Watcher/);
  });

  it('the longest stack names that fit: 15 characters with three lanes, 109 with two, 128 (the most CloudFormation allows) with one', () => {
    for (const [lanes, name] of [[3, `Prover${'x'.repeat(9)}`], [2, `Prover${'x'.repeat(103)}`], [1, LONGEST_STACK_NAME]] as const) {
      const sizes = environmentSizes(orchestratorStack(lanes, name).resources, name, null);
      for (const bytes of Object.values(sizes)) expect(bytes).toBeLessThanOrEqual(LAMBDA_ENVIRONMENT_MAX_BYTES);
    }
  });

  it("refuses at construction a stack whose environments could exceed it, naming the function: four lanes under the app's name, three under a name of 16 characters or more, two under one of 110 or more", () => {
    // 3 lanes under a 40-character name: within the limit until the watcher's STATE_MACHINE_ARN, added after
    // construction, is counted (it was let through while only the constructor checked). The JSON the limit is
    // measured on (~225 B of quotes, colons and commas for the watcher's 37 variables) takes the rest.
    const refused = [[4, 'ProverBurst'], [3, `Prover${'x'.repeat(10)}`], [3, `Prover${'x'.repeat(34)}`], [2, `Prover${'x'.repeat(104)}`], [2, LONGEST_STACK_NAME]] as const;
    for (const [lanes, name] of refused) {
      let refusal: unknown;
      try {
        orchestratorStack(lanes, name);
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(LambdaEnvironmentTooLargeError);
      expect(refusal).toMatchObject({ functionPath: expect.stringMatching(/ProvingOrchestrator\/\w+$/), maxBytes: LAMBDA_ENVIRONMENT_MAX_BYTES });
      expect((refusal as LambdaEnvironmentTooLargeError).bytes).toBeGreaterThan(LAMBDA_ENVIRONMENT_MAX_BYTES);
    }
  });
});
