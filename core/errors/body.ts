import { ProverBurstError } from './base.js';

/** A block body that does not match the schema (wrong shape, bad hash, bad count). */
export class InvalidBlockBodyError extends ProverBurstError {
  override name = 'InvalidBlockBodyError';
  constructor(
    readonly reason: string,
    readonly path: string,
    readonly value: unknown,
  ) {
    super(`invalid block body at ${path || '<root>'}: ${reason} (got ${preview(value)})`, { reason, path, value });
  }
}

/** A block with more transactions than the circuit profile allows. */
export class BlockTooLargeError extends ProverBurstError {
  override name = 'BlockTooLargeError';
  constructor(
    readonly txs: number,
    readonly maxTxs: number,
  ) {
    super(`block has ${txs} txs, more than the maximum of ${maxTxs}`, { txs, maxTxs });
  }
}

/** A block with fewer transactions than the circuit profile can prove (noir-tree's root takes two subtrees). */
export class BlockTooSmallError extends ProverBurstError {
  override name = 'BlockTooSmallError';
  constructor(
    readonly txs: number,
    readonly minTxs: number,
  ) {
    super(`block has ${txs} txs, fewer than the minimum of ${minTxs}`, { txs, minTxs });
  }
}

/** The same transaction hash appears twice in one block. */
export class DuplicateTxHashError extends ProverBurstError {
  override name = 'DuplicateTxHashError';
  constructor(
    readonly hash: string,
    readonly firstIndex: number,
    readonly secondIndex: number,
  ) {
    super(`tx hash ${hash} appears at index ${firstIndex} and again at ${secondIndex}`, { hash, firstIndex, secondIndex });
  }
}

/** A transaction's public-call count is negative, fractional or above the profile's limit. */
export class InvalidPublicCallCountError extends ProverBurstError {
  override name = 'InvalidPublicCallCountError';
  constructor(
    readonly txIndex: number,
    readonly publicCalls: unknown,
    readonly maxPublicCalls: number,
  ) {
    super(
      `tx ${txIndex} has public-call count ${preview(publicCalls)}; expected an integer from 0 to ${maxPublicCalls}`,
      { txIndex, publicCalls, maxPublicCalls },
    );
  }
}

/** The body's hash is not the hash revealed on L1. */
export class BodyHashMismatchError extends ProverBurstError {
  override name = 'BodyHashMismatchError';
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`block body hashes to ${actual}, but ${expected} was revealed`, { expected, actual });
  }
}

/** A quote was asked for a block L1 holds no reveal of (the quote endpoint answers 404). */
export class UnrevealedBlockError extends ProverBurstError {
  override name = 'UnrevealedBlockError';
  constructor(readonly blockNumber: bigint) {
    super(`block ${blockNumber} has not been revealed`, { blockNumber: blockNumber.toString() });
  }
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
