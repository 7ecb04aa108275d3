import { setTimeout as delay } from 'node:timers/promises';
import type { L1PublicClient } from '../transactions/l1Clients.js';

/** Resolves once the latest L1 block is at `timestamp` or later (the live driver's clock); rejects when aborted. */
export async function waitForChainTime(client: L1PublicClient, timestamp: number, signal: AbortSignal, pollIntervalMs: number): Promise<void> {
  while ((await client.getBlock({ blockTag: 'latest' })).timestamp < BigInt(timestamp)) {
    await delay(pollIntervalMs, undefined, { signal });
  }
}
