import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag AwsSolutions findings on `scope` and everything under it, with the reason the finding does not
 * apply. `findings` are rule ids as cdk-nag reports them, e.g. `IAM5[Resource::*]`.
 */
export function acknowledge(scope: IConstruct, reason: string, ...findings: string[]): void {
  for (const finding of findings) Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-${finding}`, reason });
}

/** How cdk-nag names a resource's ARN in a finding: `<LogicalId.Arn>`. */
export function arnToken(resource: IConstruct): string {
  const element = resource.node.defaultChild as CfnElement;
  return `<${Stack.of(resource).getLogicalId(element)}.Arn>`;
}

/** How cdk-nag prints a string that may hold tokens (an ARN): pseudo parameters as `<AWS::Region>`. */
export function nagString(scope: IConstruct, value: string): string {
  const render = (node: unknown): string => {
    if (typeof node === 'string') return node;
    const intrinsic = node as { Ref?: string; 'Fn::Join'?: [string, unknown[]] };
    if (intrinsic.Ref) return `<${intrinsic.Ref}>`;
    if (intrinsic['Fn::Join']) return intrinsic['Fn::Join'][1].map(render).join(intrinsic['Fn::Join'][0]);
    throw new Error(`cannot render ${JSON.stringify(node)} as cdk-nag does`);
  };
  return render(Stack.of(scope).resolve(value));
}
