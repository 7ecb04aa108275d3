import type { TestClient } from 'viem';
import { getBlock } from 'viem/actions';

/**
 * Mines a block at L1 time `timestamp`, unless the chain is already there: how tests and the step driver move time
 * (evm_setNextBlockTimestamp + evm_mine) instead of waiting.
 */
export async function advanceChainTo(client: TestClient<'hardhat'>, timestamp: number): Promise<void> {
  const latest = await getBlock(client, { blockTag: 'latest' });
  if (latest.timestamp >= BigInt(timestamp)) return;
  await client.setNextBlockTimestamp({ timestamp: BigInt(timestamp) });
  await client.mine({ blocks: 1 });
}
