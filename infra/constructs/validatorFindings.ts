import { Aspects, AspectPriority, CfnResource, type IAspect } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** A rule of an outside template validator (`npm run validate:infra`) that does not apply, and why. */
export interface ValidatorFinding {
  readonly validator: 'checkov' | 'cfn-lint';
  /** The rule id, e.g. CKV_AWS_116 or W3005. */
  readonly rule: string;
  /** Why the finding does not apply here: a reviewer reads this instead of the rule. */
  readonly reason: string;
}

/**
 * Acknowledges validator findings on every CloudFormation resource under `scope` (of `resourceType` only, if given),
 * in the resource's Metadata where the validators read it: checkov's `skip` list with the reason as its comment, and
 * cfn-lint's `ignore_checks` with the reasons beside it. `npm run validate:infra` fails on any finding without one;
 * test/infra checks every acknowledgement carries its reason.
 */
export function acknowledgeFindings(scope: IConstruct, findings: readonly ValidatorFinding[], options: { readonly resourceType?: string } = {}): void {
  Aspects.of(scope).add(new AcknowledgeFindings(findings, options.resourceType), { priority: AspectPriority.MUTATING });
}

class AcknowledgeFindings implements IAspect {
  constructor(
    private readonly findings: readonly ValidatorFinding[],
    private readonly resourceType: string | undefined,
  ) {}

  visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || (this.resourceType && node.cfnResourceType !== this.resourceType)) return;
    for (const { validator, rule, reason } of this.findings) {
      if (validator === 'checkov') {
        const skip = ((node.getMetadata('checkov') as { skip?: { id: string; comment: string }[] } | undefined)?.skip ?? []).filter((entry) => entry.id !== rule);
        node.addMetadata('checkov', { skip: [...skip, { id: rule, comment: reason }] });
      } else {
        const current = (node.getMetadata('cfn-lint') as { config?: { ignore_checks?: string[] }; reasons?: Record<string, string> } | undefined) ?? {};
        const ignored = (current.config?.ignore_checks ?? []).filter((id) => id !== rule);
        node.addMetadata('cfn-lint', { config: { ignore_checks: [...ignored, rule] }, reasons: { ...current.reasons, [rule]: reason } });
      }
    }
  }
}

/** A dead-letter queue's own finding. */
export const DEAD_LETTER_QUEUE_FINDING: ValidatorFinding = {
  validator: 'cfn-lint',
  rule: 'ES6000',
  reason: 'this is a dead-letter queue: what it holds is already a failure, kept 14 days for a person to read, and an alarm watches it',
};

/** Findings every Lambda function CDK or this project makes raises, and why none applies. */
export const LAMBDA_FUNCTION_FINDINGS: readonly ValidatorFinding[] = [
  {
    validator: 'cfn-lint',
    rule: 'W3005',
    reason: 'CDK writes DependsOn on the execution role next to the GetAtt of its ARN (it needs the DependsOn for the role policy); the redundancy is CDK\'s and harmless',
  },
  {
    validator: 'checkov',
    rule: 'CKV_AWS_115',
    reason: 'reserved concurrency is taken from the account\'s unreserved pool, which new accounts have at its minimum: reserving would fail the first deployment there; Step Functions, the schedule and API Gateway throttling bound the invocations instead',
  },
  {
    validator: 'checkov',
    rule: 'CKV_AWS_173',
    reason: 'the environment holds resource names, ARNs and settings, never a secret (the RPC URL is in Secrets Manager, the signer key in KMS); Lambda encrypts it at rest with its own key',
  },
  {
    validator: 'checkov',
    rule: 'CKV_AWS_116',
    reason: 'a Lambda DLQ receives failed asynchronous invocations only: these functions are invoked synchronously (Step Functions, API Gateway, CloudFormation); the one asynchronous one, the watcher, sends failures to its own on-failure destination',
  },
];

/** Findings of the functions that run only during a deployment (custom resources), and why none applies. */
export const DEPLOYMENT_FUNCTION_FINDINGS: readonly ValidatorFinding[] = [
  ...LAMBDA_FUNCTION_FINDINGS,
  {
    validator: 'checkov',
    rule: 'CKV_AWS_117',
    reason: 'runs only while CloudFormation deploys (reading a public key from KMS, the region\'s instance types from EC2, or emptying the VPC\'s default security group): no pipeline data, nothing the VPC protects',
  },
  { validator: 'cfn-lint', rule: 'WS1000', reason: 'CDK\'s own custom resource handler, run only during deployments; there is no request path to trace' },
  { validator: 'cfn-lint', rule: 'ES1005', reason: 'CDK\'s own custom resource handler, run only during deployments; Lambda\'s default 128 MB is what CDK sizes it for' },
  {
    validator: 'cfn-lint',
    rule: 'WS1004',
    reason: 'CDK\'s own custom resource handler: its logs go to the log group CDK gives it (the provider\'s, with retention) or to the default one, written only during deployments',
  },
];
