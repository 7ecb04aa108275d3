import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readAppContext } from './appContext.js';
import { ProverBurstStack } from './proverBurstStack.js';

/**
 * The CDK app: one ProverBurstStack from the context (cdk.json, -c), checked by cdk-nag's AwsSolutions pack, so a
 * finding nobody acknowledged fails `cdk synth`.
 */
export function createProverBurstApp(props: AppProps = {}): { app: App; stack: ProverBurstStack } {
  const app = new App(props);
  const context = readAppContext((key) => app.node.tryGetContext(key));
  const account = context.account ?? process.env.CDK_DEFAULT_ACCOUNT;
  const region = context.region ?? process.env.CDK_DEFAULT_REGION;
  const stack = new ProverBurstStack(app, context.stackName, {
    context,
    description: 'prover-burst: proving orchestrator for an Aztec-style rollup',
    ...(account || region ? { env: { ...(account ? { account } : {}), ...(region ? { region } : {}) } } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
