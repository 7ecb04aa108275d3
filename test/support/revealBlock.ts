import { encodeBlockBody } from '../../core/body/encodeBlockBody.js';
import type { BlockBody } from '../../core/body/blockBody.js';
import type { BlockRunRequest } from '../../core/ports/blockRunDriver.js';
import type { Address } from '../../core/protocol/types.js';
import { runIdFor } from '../../core/run/runIdFor.js';
import type { FakeRollupChain } from './fakeRollupChain.js';

/**
 * Reveals `body` as block `blockNumber` on the fake chain, committed to `proverId` (exclusive for 60 s, deadline in
 * 300 s), and returns the run request the watcher would make for it.
 */
export function revealBlock(
  chain: FakeRollupChain,
  proverId: Address,
  blockNumber: bigint,
  body: BlockBody,
  overrides: Partial<BlockRunRequest> = {},
): BlockRunRequest {
  const bodyHash = chain.reveal({ blockNumber, body: encodeBlockBody(body), committedProver: proverId });
  return {
    runId: runIdFor(blockNumber, bodyHash),
    blockNumber,
    slot: blockNumber,
    bodyHash,
    revealedIn: `0x${'aa'.repeat(32)}`,
    txCount: body.txs.length,
    parentBlock: blockNumber - 1n,
    revealedAt: chain.now,
    provingDeadline: chain.now + 300,
    exclusiveUntil: chain.now + 60,
    committedProver: proverId,
    reason: 'committed',
    ...overrides,
  };
}
