import type { RollupEvent } from '../ports/l1.js';
import type { TrackedBlock } from '../policy/trackedBlock.js';
import { ORPHANED_REVEAL } from '../run/reviveRun.js';

/** The revealed blocks the watcher is following, by block number (as a decimal string). */
export type BlockBook = Readonly<Record<string, TrackedBlock & { readonly stopReason: string }>>;

const ZERO_ADDRESS = `0x${'0'.repeat(40)}` as const;

/** Folds one canonical event into the book. */
export function applyEvent(book: BlockBook, event: RollupEvent): BlockBook {
  const key = 'blockNumber' in event ? event.blockNumber.toString() : '';
  const current = book[key];
  switch (event.type) {
    case 'BlockRevealed': {
      // The same body revealed again (after a reorg) keeps its run; another body starts afresh.
      const sameBody = current?.bodyHash === event.bodyHash;
      return {
        ...book,
        [key]: {
          blockNumber: event.blockNumber,
          slot: event.slot,
          sequencer: event.sequencer,
          bodyHash: event.bodyHash,
          revealedIn: event.at.blockHash,
          txCount: event.txCount,
          parentBlock: event.parentBlock,
          revealedAt: event.revealedAt,
          provingDeadline: event.provingDeadline,
          committedProver: ZERO_ADDRESS,
          feeBps: 0,
          bond: 0n,
          exclusiveUntil: 0,
          status: 'revealed',
          provenBy: ZERO_ADDRESS,
          runId: sameBody ? current.runId : '',
          startedFor: sameBody ? current.startedFor : '',
          stopReason: '',
        },
      };
    }
    case 'ProverCommitted':
      return current
        ? {
            ...book,
            [key]: { ...current, committedProver: event.proverId, feeBps: event.feeBps, bond: event.bond, exclusiveUntil: event.exclusiveUntil },
          }
        : book;
    case 'BlockProven':
      return current ? { ...book, [key]: { ...current, status: 'proven', provenBy: event.proverId } } : book;
    case 'ProvingClockRestarted':
      // Its parent was proven late: the block's window (if committed) and deadline count from that proof.
      return current
        ? { ...book, [key]: { ...current, exclusiveUntil: event.exclusiveUntil, provingDeadline: event.provingDeadline } }
        : book;
    case 'BlockPruned':
      return current ? { ...book, [key]: { ...current, status: 'pruned' } } : book;
    default:
      return book;
  }
}

/** Undoes one event from a block that fell out of the canonical chain. */
export function retractEvent(book: BlockBook, event: RollupEvent): BlockBook {
  const key = 'blockNumber' in event ? event.blockNumber.toString() : '';
  const current = book[key];
  if (!current) return book;
  switch (event.type) {
    case 'BlockRevealed': {
      if (current.bodyHash !== event.bodyHash) return book;
      // Keep the entry (and its run id) until the new canonical events say whether the same body came back.
      return { ...book, [key]: { ...current, status: 'pruned', stopReason: ORPHANED_REVEAL } };
    }
    case 'ProverCommitted':
      return { ...book, [key]: { ...current, committedProver: ZERO_ADDRESS, feeBps: 0, bond: 0n, exclusiveUntil: 0 } };
    case 'BlockProven':
    case 'BlockPruned':
      return { ...book, [key]: { ...current, status: 'revealed', provenBy: ZERO_ADDRESS } };
    // A retracted restart keeps the later times: a run reads L1's own before it gives up (currentDeadline).
    default:
      return book;
  }
}
