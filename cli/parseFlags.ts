import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usageError.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict flag parsing; any unknown or malformed flag becomes a `UsageError`. */
export function parseFlags<T extends Options>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}`);
  }
}

/** A positive integer flag, or a `UsageError` naming the flag and the value. */
export function integerFlag(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${raw}"`);
  }
  return value;
}

/** A positive number flag (fractions allowed). */
export function numberFlag(name: string, raw: string | undefined, fallback: number, min = 0): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < min) {
    throw new UsageError(`--${name} must be a number ≥ ${min}, got "${raw}"`);
  }
  return value;
}
