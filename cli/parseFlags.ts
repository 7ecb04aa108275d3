import { parseArgs } from 'node:util';
import { UsageError } from './usageError.js';

/** One command-line flag; parsing and `--help` both come from it, so help cannot miss a flag or its default. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** The value's placeholder in help (`N`, `DIR`); string flags only. */
  readonly value?: string;
  readonly help: string;
  /** The default as a user would type it; it is parsed exactly like a given value. */
  readonly default?: string;
  /** What an absent flag without a default means (`run until Ctrl-C`); `required` makes it mandatory. */
  readonly absent?: string;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

/** A command's name, what it does, and its flags. */
export interface CommandSpec<T extends FlagTable = FlagTable> {
  readonly name: string;
  readonly summary: string;
  readonly flags: T;
}

/** What `parseFlags` returns: booleans for switches, strings for flags with a default, else string or undefined. */
export type FlagValues<T extends FlagTable> = {
  -readonly [K in keyof T]: T[K]['type'] extends 'boolean' ? boolean : T[K] extends { readonly default: string } ? string : string | undefined;
};

const REQUIRED = 'required';

/** Strict flag parsing; any unknown, malformed or missing required flag becomes a `UsageError`. */
export function parseFlags<T extends FlagTable>(command: CommandSpec<T>, args: string[]): FlagValues<T> {
  const options = Object.fromEntries(
    Object.entries(command.flags).map(([name, flag]) => [
      name,
      flag.type === 'boolean' ? { type: 'boolean' as const, default: false } : { type: 'string' as const, ...(flag.default === undefined ? {} : { default: flag.default }) },
    ]),
  );
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${command.name}: ${(error as Error).message}`);
  }
  for (const [name, flag] of Object.entries(command.flags)) {
    if (flag.absent === REQUIRED && values[name] === undefined) throw new UsageError(`${command.name}: --${name} ${flag.value ?? ''} is required`.trimEnd());
  }
  return values as FlagValues<T>;
}

/** The command's help: a synopsis naming every flag, the summary, then each flag with its default. */
export function usageOf(command: CommandSpec): string {
  const entries = Object.entries(command.flags);
  const named = (name: string, flag: FlagSpec) => `--${name}${flag.value ? ` ${flag.value}` : ''}`;
  const synopsis = wrap(
    [`prover-burst ${command.name}`, ...entries.map(([name, flag]) => (flag.absent === REQUIRED ? named(name, flag) : `[${named(name, flag)}]`))],
    `prover-burst ${command.name} `.length,
  );
  const width = Math.max(...entries.map(([name, flag]) => named(name, flag).length)) + 2;
  const lines = entries.map(([name, flag]) => {
    const fallback = flag.absent === REQUIRED ? 'required' : `default: ${flag.type === 'boolean' ? 'off' : (flag.default ?? flag.absent ?? 'none')}`;
    return `  ${named(name, flag).padEnd(width)}${flag.help} (${fallback})`;
  });
  return [synopsis, ...command.summary.split('\n').map((line) => `  ${line}`), ...lines].join('\n');
}

/** Words joined into lines of at most 118 characters, continuation lines indented. */
function wrap(words: string[], indent: number): string {
  const lines = [words[0]!];
  for (const word of words.slice(1)) {
    if (lines.at(-1)!.length + 1 + word.length > 118) lines.push(`${' '.repeat(indent - 1)}${word}`);
    else lines[lines.length - 1] += ` ${word}`;
  }
  return lines.join('\n');
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
