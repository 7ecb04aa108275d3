import { z } from 'zod';
import {
  BlockTooLargeError,
  BlockTooSmallError,
  DuplicateTxHashError,
  InvalidBlockBodyError,
  InvalidPublicCallCountError,
} from '../errors/index.js';

/** One transaction as the prover needs it: its hash and how many public calls it makes. */
export interface BlockTx {
  readonly hash: `0x${string}`;
  readonly publicCalls: number;
}

/** The ordered transactions of a revealed block. */
export interface BlockBody {
  readonly txs: readonly BlockTx[];
}

/** Limits a body must respect; they come from the circuit profile. */
export interface BlockBodyLimits {
  readonly maxTxs: number;
  readonly maxPublicCallsPerTx: number;
  /** @default 1 */
  readonly minTxs?: number;
}

const TX_HASH = /^0x[0-9a-f]{64}$/;

const blockBodyShape = z.object({
  txs: z
    .array(
      z.object({
        hash: z.string().regex(TX_HASH, 'a tx hash is 0x and 64 lowercase hex digits'),
        publicCalls: z.unknown(),
      }),
    )
    .min(1, 'a block has at least one tx'),
});

/**
 * Validates untrusted input as a block body: shape, size, public-call counts and unique tx hashes.
 * Throws a named error that carries the offending value; never returns a partial body.
 */
export function parseBlockBody(input: unknown, limits: BlockBodyLimits): BlockBody {
  // Size first, so an oversized body is refused before any per-tx work.
  const rawTxs = (input as { txs?: unknown } | null)?.txs;
  if (Array.isArray(rawTxs) && rawTxs.length > limits.maxTxs) {
    throw new BlockTooLargeError(rawTxs.length, limits.maxTxs);
  }
  if (Array.isArray(rawTxs) && rawTxs.length > 0 && rawTxs.length < (limits.minTxs ?? 1)) {
    throw new BlockTooSmallError(rawTxs.length, limits.minTxs ?? 1);
  }
  const parsed = blockBodyShape.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidBlockBodyError(issue.message, issue.path.join('.'), valueAt(input, issue.path));
  }
  const txs = parsed.data.txs;
  const firstIndexOfHash = new Map<string, number>();
  for (let i = 0; i < txs.length; i++) {
    const tx = txs[i]!;
    if (!isCallCount(tx.publicCalls, limits.maxPublicCallsPerTx)) {
      throw new InvalidPublicCallCountError(i, tx.publicCalls, limits.maxPublicCallsPerTx);
    }
    const seenAt = firstIndexOfHash.get(tx.hash);
    if (seenAt !== undefined) throw new DuplicateTxHashError(tx.hash, seenAt, i);
    firstIndexOfHash.set(tx.hash, i);
  }
  return parsed.data as BlockBody;
}

function isCallCount(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
