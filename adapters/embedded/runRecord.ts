import type { ProvingRun } from '../../core/ports/provingRun.js';

/** A run as stored: bigints as decimal strings, so any JSON or msgpack store can hold it. */
export type StoredRun = Omit<ProvingRun, 'blockNumber' | 'slot' | 'parentBlock'> & {
  readonly blockNumber: string;
  readonly slot: string;
  readonly parentBlock: string;
};

export function toStoredRun(run: ProvingRun): StoredRun {
  return { ...run, blockNumber: run.blockNumber.toString(), slot: run.slot.toString(), parentBlock: run.parentBlock.toString() };
}

export function fromStoredRun(stored: StoredRun): ProvingRun {
  return {
    ...stored,
    blockNumber: BigInt(stored.blockNumber),
    slot: BigInt(stored.slot),
    parentBlock: BigInt(stored.parentBlock),
  };
}
