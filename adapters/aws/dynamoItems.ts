import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ProverBurstError } from '../../core/errors/base.js';

/** A DynamoDB item as the low-level client returns it. */
export type Item = Record<string, AttributeValue>;

/** An item that lacks an attribute, or holds one of the wrong type, where the job store wrote one itself. */
export class MalformedItemError extends ProverBurstError {
  override name = 'MalformedItemError';
  constructor(
    readonly key: string,
    readonly attribute: string,
    readonly found: unknown,
  ) {
    super(`item ${key} has no valid "${attribute}" (found ${JSON.stringify(found)})`, { key, attribute, found });
  }
}

export const s = (value: string): AttributeValue => ({ S: value });
export const n = (value: number | bigint): AttributeValue => ({ N: value.toString() });

export function optionalString(item: Item | undefined, name: string): string | undefined {
  return item?.[name]?.S;
}

export function optionalNumber(item: Item | undefined, name: string): number | undefined {
  const text = item?.[name]?.N;
  return text === undefined ? undefined : Number(text);
}

export function requiredString(item: Item, name: string): string {
  const value = item[name]?.S;
  if (value === undefined) throw new MalformedItemError(item.pk?.S ?? '?', name, item[name]);
  return value;
}

export function requiredNumber(item: Item, name: string): number {
  const value = optionalNumber(item, name);
  if (value === undefined || !Number.isFinite(value)) throw new MalformedItemError(item.pk?.S ?? '?', name, item[name]);
  return value;
}

/** Epoch seconds after which DynamoDB's TTL may delete an item. */
export function expiresAt(nowMs: number, retentionSeconds: number): AttributeValue {
  return n(Math.floor(nowMs / 1000) + retentionSeconds);
}
