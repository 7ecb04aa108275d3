import type { SynthesizedApp } from './synthesizedApp.js';

type Resources = SynthesizedApp['json']['Resources'];

/** One IAM statement, flattened: which role it is for, its actions and resources as written. */
export interface GrantedStatement {
  readonly role: string;
  readonly effect: string;
  readonly actions: readonly string[];
  readonly resources: readonly unknown[];
  readonly condition?: unknown;
}

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Every identity-policy statement in the template (AWS::IAM::Policy documents and roles' inline policies). */
export function identityStatements(resources: Resources): GrantedStatement[] {
  const statements: GrantedStatement[] = [];
  const add = (roles: readonly string[], document: unknown) => {
    for (const statement of (document as { Statement: Record<string, unknown>[] }).Statement) {
      for (const role of roles) {
        statements.push({
          role,
          effect: String(statement.Effect),
          actions: list(statement.Action as string | string[]),
          resources: list(statement.Resource),
          ...(statement.Condition ? { condition: statement.Condition } : {}),
        });
      }
    }
  };
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::IAM::Policy') {
      const roles = list(resource.Properties?.Roles as { Ref: string }[]).map((role) => role.Ref);
      add(roles, resource.Properties?.PolicyDocument);
    }
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of list(resource.Properties?.Policies as { PolicyDocument: unknown }[])) add([id], policy.PolicyDocument);
    }
  }
  return statements;
}

/** The logical id of the one resource of `type` whose id contains `fragment`. */
export function logicalId(resources: Resources, type: string, fragment: string): string {
  const found = Object.entries(resources).filter(([id, resource]) => resource.Type === type && id.includes(fragment));
  if (found.length !== 1) throw new Error(`expected one ${type} matching ${fragment}, found ${found.map(([id]) => id).join(', ') || 'none'}`);
  return found[0]![0];
}

/** The role (logical id) a function runs as. */
export function roleOfFunction(resources: Resources, functionId: string): string {
  const role = resources[functionId]?.Properties?.Role as { 'Fn::GetAtt': [string, string] } | undefined;
  if (!role) throw new Error(`${functionId} has no role`);
  return role['Fn::GetAtt'][0];
}

/** A value with its CloudFormation intrinsics written as `<Id>` / `<Id.Attr>` / `<AWS::Pseudo>`: stable, readable text. */
export function renderIntrinsics(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const node = value as Record<string, unknown>;
  if ('Ref' in node) return `<${String(node.Ref)}>`;
  if ('Fn::GetAtt' in node) return `<${(node['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(renderIntrinsics).join(separator);
  }
  if ('Fn::Sub' in node) return String(node['Fn::Sub']);
  // The text before encoding (a MIME part's body in user data), so a test can read it.
  if ('Fn::Base64' in node) return renderIntrinsics(node['Fn::Base64']);
  if ('Fn::Select' in node) {
    const [index, list] = node['Fn::Select'] as [number, Record<string, unknown>];
    if (!('Fn::Split' in list)) throw new Error(`unexpected Fn::Select of ${JSON.stringify(list)}`);
    const [separator, text] = list['Fn::Split'] as [string, unknown];
    return `${renderIntrinsics(text)}.split('${separator}')[${index}]`;
  }
  throw new Error(`unexpected intrinsic ${JSON.stringify(value)}`);
}
