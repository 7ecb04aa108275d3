import { DuplicateTxHashError, InvalidPublicCallCountError } from '../errors/index.js';
import { decodeBlockBodyBytes, ENCODED_TX_BYTES } from './encodeBlockBody.js';

/** The protocol's limit (Rollup.MAX_PUBLIC_CALLS_PER_TX): a tx making more public calls is malformed. */
export const MAX_PUBLIC_CALLS_PER_TX = 64;

/** Where a body breaks a rule `Rollup.pruneMalformed` checks: the indices it takes, and what is wrong there. */
export interface Malformation {
  readonly txIndex: number;
  /** Equal to `txIndex` for a call count over the limit; the second index of a duplicate tx hash. */
  readonly otherTxIndex: number;
  readonly reason: string;
}

/**
 * The first malformation of a revealed body that L1 can check on its own (a duplicate tx hash, a call count over
 * the protocol's limit), or null. A body that is not a whole number of txs never gets revealed (the contract refuses it).
 */
export function findMalformation(bytes: Uint8Array): Malformation | null {
  if (bytes.length === 0 || bytes.length % ENCODED_TX_BYTES !== 0) return null;
  try {
    decodeBlockBodyBytes(bytes, { maxTxs: bytes.length / ENCODED_TX_BYTES, maxPublicCallsPerTx: MAX_PUBLIC_CALLS_PER_TX });
    return null;
  } catch (error) {
    if (error instanceof DuplicateTxHashError) {
      return { txIndex: error.firstIndex, otherTxIndex: error.secondIndex, reason: error.message };
    }
    if (error instanceof InvalidPublicCallCountError) return { txIndex: error.txIndex, otherTxIndex: error.txIndex, reason: error.message };
    throw error;
  }
}
