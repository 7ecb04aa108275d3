/** The pseudo parameters as CloudFormation resolves them in the example account (cdk.json's context). */
const PSEUDO_PARAMETERS: Readonly<Record<string, string>> = { 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012', 'AWS::URLSuffix': 'amazonaws.com' };

/**
 * A state machine's DefinitionString as plain Amazon States Language: the few intrinsics CDK writes into it (Fn::Join,
 * Fn::GetAtt of a function's Arn, Ref of a pseudo parameter) become the text CloudFormation would make of them in the
 * example account, with `arn:aws:lambda:us-east-1:123456789012:function:<LogicalId>` for a function.
 */
export function renderDefinition(definitionString: unknown): Record<string, unknown> {
  return JSON.parse(resolveIntrinsics(definitionString)) as Record<string, unknown>;
}

function resolveIntrinsics(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(resolveIntrinsics).join(separator);
  }
  if ('Fn::GetAtt' in node) {
    const [logicalId] = node['Fn::GetAtt'] as [string, string];
    return `arn:aws:lambda:us-east-1:123456789012:function:${logicalId}`;
  }
  if ('Ref' in node) return PSEUDO_PARAMETERS[String(node.Ref)] ?? String(node.Ref);
  throw new Error(`unexpected intrinsic in the state machine definition: ${JSON.stringify(value)}`);
}
