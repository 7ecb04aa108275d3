import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { MalformedItemError } from './errors/awsAdapterErrors.js';

/** A DynamoDB item as the low-level client returns it. */
export type Item = Record<string, AttributeValue>;

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
