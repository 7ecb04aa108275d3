import type { FollowCursor, RollupEvent } from '../../core/ports/l1.js';
import type { Bytes32 } from '../../core/protocol/types.js';
import { InvalidFollowCursorError } from '../errors/l1Errors.js';

/** A recently read L1 block: its hash to detect a reorg, and the events delivered from it to retract them. */
export interface RememberedBlock {
  readonly number: bigint;
  readonly hash: Bytes32;
  readonly events: readonly RollupEvent[];
}

/**
 * The cursor `createL1Follower` returns: a FollowCursor whose recent blocks also carry the events delivered from them,
 * so a later call can name what a reorg orphaned. The caller persists the whole object (bigints included).
 */
export interface L1FollowerCursor extends FollowCursor {
  readonly recent: readonly RememberedBlock[];
}

/** Checks that a cursor handed back (e.g. from a database) is one this follower wrote. */
export function asFollowerCursor(cursor: FollowCursor): L1FollowerCursor {
  const recent = cursor.recent as readonly Partial<RememberedBlock>[];
  if (recent.some((block) => !Array.isArray(block.events))) {
    throw new InvalidFollowCursorError('its recent blocks carry no delivered events; was it written by createL1Follower?');
  }
  const last = recent.at(-1);
  if (last && last.number !== cursor.nextBlock - 1n) {
    throw new InvalidFollowCursorError(`its last recent block ${String(last.number)} is not the one before nextBlock ${cursor.nextBlock}`);
  }
  return cursor as L1FollowerCursor;
}
