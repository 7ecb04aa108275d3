import { keccak256 } from 'viem';
import { describe, expect, it } from 'vitest';
import { encodeBlockBody } from '../body/encodeBlockBody.js';
import { UnrevealedBlockError } from '../errors/body.js';
import { syntheticBlockBody } from '../body/syntheticBlockBody.js';
import type { QuoteRequest } from '../protocol/quoteRequest.js';
import { fakeRollupChain } from '../../test/support/fakeRollupChain.js';
import { checkRevealedBody } from './checkRevealedBody.js';

const body = (txs: number, calls = 1) => encodeBlockBody(syntheticBlockBody({ txs, publicCalls: { kind: 'fixed', calls }, seed: 'check' }));

/** A chain with `bytes` revealed as block 4, and the quote request a sequencer would send for it. */
function revealedAs(bytes: `0x${string}`) {
  const chain = fakeRollupChain('0x00000000000000000000000000000000000000aa');
  const bodyHash = chain.reveal({ blockNumber: 4n, body: bytes, slot: 7n });
  const request: QuoteRequest = { blockNumber: '4', slot: '7', bodyHash, txCount: 1, publicCalls: 1, revealedAt: 0, provingDeadline: 0 };
  return { chain, request };
}

describe('checkRevealedBody', () => {
  it('passes a revealed body that hashes to the request and fits the limits, with its own counts from L1', async () => {
    const { chain, request } = revealedAs(body(8, 2));
    const { provingDeadline } = await chain.blockState(4n);
    expect(await checkRevealedBody(chain, 'rfp-2023', 8)(request)).toEqual({
      body: { blockNumber: 4n, slot: 7n, bodyHash: keccak256(body(8, 2)), txCount: 8, publicCalls: 16, provingDeadline },
    });
  });

  it('refuses a request for a body other than the one revealed or in another slot, and names a block not revealed', async () => {
    const { chain, request } = revealedAs(body(8));
    const other = `0x${'12'.repeat(32)}` as const;
    expect(await checkRevealedBody(chain, 'rfp-2023', 8)({ ...request, bodyHash: other })).toEqual({
      unprovable: `block 4 holds body ${keccak256(body(8))}, not the requested ${other}`,
    });
    expect(await checkRevealedBody(chain, 'rfp-2023', 8)({ ...request, slot: '8' })).toEqual({ unprovable: 'block 4 was revealed in slot 7, not 8' });
    await expect(checkRevealedBody(chain, 'rfp-2023', 8)({ ...request, blockNumber: '5' })).rejects.toThrow(new UnrevealedBlockError(5n));
  });

  it("refuses a body over the firm's limit, or the profile's per-tx limit, or malformed, naming the error", async () => {
    const big = revealedAs(body(9));
    expect(await checkRevealedBody(big.chain, 'rfp-2023', 8)(big.request)).toEqual({ unprovable: 'BlockTooLargeError: block has 9 txs, more than the maximum of 8' });
    const calls = revealedAs(body(1, 65));
    expect(await checkRevealedBody(calls.chain, 'rfp-2023', 8)(calls.request)).toEqual({
      unprovable: expect.stringMatching(/^InvalidPublicCallCountError: tx 0 has public-call count 65/) as string,
    });
    const torn = revealedAs(`${body(1)}ff`);
    expect(await checkRevealedBody(torn.chain, 'rfp-2023', 8)(torn.request)).toEqual({ unprovable: expect.stringMatching(/^InvalidBlockBodyError: /) as string });
  });

  it('lets an RPC failure through', async () => {
    const { chain, request } = revealedAs(body(1));
    chain.failNext.add('revealedBody');
    await expect(checkRevealedBody(chain, 'rfp-2023', 8)(request)).rejects.toThrow('injected RPC failure');
  });
});
