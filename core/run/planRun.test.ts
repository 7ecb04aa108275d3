import { hexToBytes } from 'viem';
import { describe, expect, it } from 'vitest';
import { encodeBlockBody } from '../body/encodeBlockBody.js';
import { syntheticBlockBody } from '../body/syntheticBlockBody.js';
import { digestOf } from '../artifacts/digest.js';
import { planBlock } from '../plan/planBlock.js';
import { rfp2023 } from '../profiles/rfp2023.js';
import { memoryRunWorld, recordingSends, OUR_PROVER, smallBody } from '../../test/support/memoryRunWorld.js';
import { planRun } from './planRun.js';

const ZERO_ROOT = `0x${'0'.repeat(64)}`;

/** A world whose queue records each send (tier and batch). */
const world = () => recordingSends(memoryRunWorld());

describe('planRun', () => {
  it('records the run from the revealed body and queues every job without children', async () => {
    const w = world();
    // One tx with two public calls, one private: 2 VMs (heavy), and the private tx's base (light) are leaves.
    const body = { txs: [{ ...smallBody().txs[0]!, publicCalls: 2 }, { ...smallBody().txs[1]!, publicCalls: 0 }] };
    const request = w.reveal(3n, body);
    w.clock.set(1_700_000_123_000);
    const run = await planRun(w.deps, w.settings, request);
    const plan = planBlock(body, rfp2023, { blockId: request.runId, trusted: true });
    const roots = await w.deps.stateRoots(request);
    expect(run).toEqual({
      runId: request.runId,
      blockNumber: 3n,
      slot: request.slot,
      bodyHash: request.bodyHash,
      revealedIn: request.revealedIn,
      bodyDigest: digestOf(hexToBytes(encodeBlockBody(body))),
      profile: 'rfp-2023',
      txCount: 2,
      jobCount: plan.size,
      criticalPathSeconds: plan.criticalPathSeconds,
      parentBlock: 2n,
      parentStateRoot: roots.parentStateRoot,
      newStateRoot: roots.newStateRoot,
      proverId: OUR_PROVER,
      reason: 'committed',
      exclusiveUntil: request.exclusiveUntil,
      provingDeadline: request.provingDeadline,
      state: 'planned',
      stateReason: '',
      rootDigest: '',
      l1TxHash: '',
      createdAt: 1_700_000_123_000,
      provingStartedAt: 0,
      rootProvenAt: 0,
      updatedAt: 1_700_000_123_000,
    });
    expect(await w.store.getRun(request.runId)).toEqual(run);
    expect(await w.artifacts.get(run.bodyDigest)).toEqual(hexToBytes(encodeBlockBody(body)));
    expect(w.sent('heavy').sort()).toEqual([`${request.runId}/vm/0.0`, `${request.runId}/vm/0.1`]);
    expect(w.sent('light')).toEqual([`${request.runId}/base/1`]);
  });

  it('plans a block once: a second plan returns the stored run and queues the leaves again only while planned', async () => {
    const w = world();
    const request = w.reveal(1n);
    const first = await planRun(w.deps, w.settings, request);
    w.clock.set(w.clock.now() + 5_000);
    expect(await planRun(w.deps, w.settings, { ...request, txCount: 99 })).toEqual(first);
    expect(w.sent('heavy')).toHaveLength(4);
    await w.store.transitionRun(request.runId, ['planned'], 'proving', {}, w.clock.now());
    expect((await planRun(w.deps, w.settings, request)).state).toBe('proving');
    expect(w.sent('heavy')).toHaveLength(4);
  });

  it('refuses a body that is not the revealed one, recording why and queuing nothing', async () => {
    const w = world();
    const request = { ...w.reveal(1n), bodyHash: `0x${'12'.repeat(32)}` as const, runId: 'b1-wrong' };
    const run = await planRun(w.deps, w.settings, request);
    expect(run).toMatchObject({
      runId: 'b1-wrong',
      state: 'abandoned',
      bodyDigest: '',
      jobCount: 0,
      txCount: request.txCount,
      criticalPathSeconds: 0,
      parentStateRoot: ZERO_ROOT,
      newStateRoot: ZERO_ROOT,
    });
    expect(run.stateReason).toMatch(/^refused body: BodyHashMismatchError: block body hashes to 0x[0-9a-f]{64}, but 0x(12){32} was revealed$/);
    expect(await w.store.getRun('b1-wrong')).toEqual(run);
    expect(w.sends).toEqual([]);
  });

  it("refuses a block above the firm's own limit, below the profile's", async () => {
    const w = world();
    const request = w.reveal(1n, syntheticBlockBody({ txs: 9, publicCalls: { kind: 'fixed', calls: 0 }, seed: 'big' }));
    const run = await planRun(w.deps, { ...w.settings, maxTxs: 8 }, request);
    expect(run.stateReason).toBe('refused body: BlockTooLargeError: block has 9 txs, more than the maximum of 8');
    const fits = w.reveal(2n, syntheticBlockBody({ txs: 8, publicCalls: { kind: 'fixed', calls: 0 }, seed: 'fits' }));
    expect((await planRun(w.deps, { ...w.settings, maxTxs: 8 }, fits)).state).toBe('planned');
  });

  it("refuses a malformed body and a tx above the profile's public-call limit", async () => {
    const w = world();
    const malformed = w.reveal(1n);
    w.chain.reveal({ blockNumber: 1n, body: `${encodeBlockBody(smallBody())}ff` });
    const bodyHash = (await w.chain.blockState(1n)).bodyHash;
    const refused = await planRun(w.deps, w.settings, { ...malformed, bodyHash });
    expect(refused.stateReason).toContain('refused body: InvalidBlockBodyError');

    const calls = w.reveal(2n, { txs: [{ ...smallBody().txs[0]!, publicCalls: 65 }] });
    expect((await planRun(w.deps, w.settings, calls)).stateReason).toContain('refused body: InvalidPublicCallCountError');
  });

  it('lets an RPC failure through without recording anything (the plan state is retried)', async () => {
    const w = world();
    const request = w.reveal(1n);
    w.chain.failNext.add('revealedBody');
    await expect(planRun(w.deps, w.settings, request)).rejects.toThrow('injected RPC failure in revealedBody');
    expect(await w.store.getRun(request.runId)).toBeNull();
  });
});
