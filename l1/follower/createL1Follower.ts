import { BlockNotFoundError, type Address, type Block, type Log } from 'viem';
import type { FollowStep, L1Follower } from '../../core/ports/l1.js';
import { ReorgTooDeepError } from '../errors/l1Errors.js';
import { decodeRollupEvents, rollupEventAbi } from '../events/decodeRollupEvents.js';
import type { L1PublicClient } from '../transactions/l1Clients.js';
import { asFollowerCursor, type L1FollowerCursor, type RememberedBlock } from './followerCursor.js';

export interface CreateL1FollowerParameters {
  readonly client: L1PublicClient;
  readonly rollup: Address;
  /** Blocks to stay behind the head; events are delivered once this deep. */
  readonly confirmations: number;
  /** Where a follower without a cursor starts (the rollup's deployment block). */
  readonly fromBlock: bigint;
  /** How many recent L1 blocks the cursor remembers (hash and delivered events): the deepest reorg it can undo. @default 64 */
  readonly keepRecent?: number;
  /** Most L1 blocks per eth_getLogs request. @default 1000 */
  readonly maxBlockRange?: number;
}

/**
 * The L1Follower port. Each call: checks the remembered blocks against the chain by hash and walks back to the
 * common ancestor, retracting the events of orphaned blocks (newest first); then reads rollup logs from the cursor
 * up to head − confirmations in bounded ranges, checks the new blocks chain onto the remembered ones by parent hash
 * (Hardhat never flags removed logs), and delivers their events once. It keeps no state between calls: all it knows
 * is in the cursor it returns.
 */
export function createL1Follower(parameters: CreateL1FollowerParameters): L1Follower {
  const { client, rollup, confirmations, fromBlock } = parameters;
  const keepRecent = parameters.keepRecent ?? 64;
  const maxBlockRange = BigInt(parameters.maxBlockRange ?? 1000);

  const blockAt = async (number: bigint): Promise<Block | null> => {
    try {
      return await client.getBlock({ blockNumber: number });
    } catch (error) {
      if (error instanceof BlockNotFoundError) return null;
      throw error;
    }
  };

  /** Keeps the remembered blocks still on the canonical chain; the others' events are retracted, newest first. */
  const undoReorg = async (recent: readonly RememberedBlock[]) => {
    for (let index = recent.length - 1; index >= 0; index--) {
      const remembered = recent[index]!;
      if ((await blockAt(remembered.number))?.hash === remembered.hash) {
        const orphaned = recent.slice(index + 1);
        const retracted = orphaned.reverse().flatMap((block) => [...block.events].reverse());
        return { kept: recent.slice(0, index + 1), retracted };
      }
    }
    if (recent.length > 0) throw new ReorgTooDeepError(recent[0]!.number, keepRecent);
    return { kept: recent, retracted: [] };
  };

  const readLogs = async (from: bigint, to: bigint): Promise<Log[]> => {
    const logs: Log[] = [];
    for (let start = from; start <= to; start += maxBlockRange) {
      const end = start + maxBlockRange - 1n < to ? start + maxBlockRange - 1n : to;
      logs.push(...(await client.getLogs({ address: rollup, events: rollupEventAbi, fromBlock: start, toBlock: end, strict: true })));
    }
    return logs;
  };

  return {
    async follow(cursor): Promise<FollowStep> {
      const start: L1FollowerCursor = cursor === null ? { nextBlock: fromBlock, recent: [] } : asFollowerCursor(cursor);
      const { kept, retracted } = await undoReorg(start.recent);
      const nextBlock = kept.length < start.recent.length ? kept.at(-1)!.number + 1n : start.nextBlock;
      const unchanged = { retracted, events: [], cursor: { nextBlock, recent: kept } };

      const target = (await client.getBlockNumber({ cacheTime: 0 })) - BigInt(confirmations);
      if (target < nextBlock) return unchanged;
      const logs = await readLogs(nextBlock, target);
      const windowStart = target - BigInt(keepRecent) + 1n > nextBlock ? target - BigInt(keepRecent) + 1n : nextBlock;
      const numbers = Array.from({ length: Number(target - windowStart) + 1 }, (_, offset) => windowStart + BigInt(offset));
      const fetched = await Promise.all(numbers.map(blockAt));
      if (fetched.includes(null)) return unchanged;
      const window = fetched as Block[];
      // A reorg between our reads shows as a broken hash chain or a log from another block: try again next call.
      if (!isConsistent(window, logs, windowStart === nextBlock ? kept.at(-1) : undefined)) return unchanged;

      const events = decodeRollupEvents(logs);
      const remembered = window.map((block): RememberedBlock => ({
        number: block.number!,
        hash: block.hash!,
        events: events.filter((event) => event.at.blockNumber === block.number),
      }));
      return { retracted, events, cursor: { nextBlock: target + 1n, recent: [...kept, ...remembered].slice(-keepRecent) } };
    },
  };
}

/** The window's blocks chain onto each other (and onto `parent`), and every log in the window is from them. */
function isConsistent(window: readonly Block[], logs: readonly Log[], parent: RememberedBlock | undefined): boolean {
  let previousHash = parent?.hash;
  for (const block of window) {
    if (previousHash !== undefined && block.parentHash !== previousHash) return false;
    previousHash = block.hash!;
  }
  const hashes = new Map(window.map((block) => [block.number, block.hash]));
  return logs.every((log) => !hashes.has(log.blockNumber) || hashes.get(log.blockNumber) === log.blockHash);
}

export type { L1FollowerCursor, RememberedBlock };
