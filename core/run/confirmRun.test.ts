import { describe, expect, it } from 'vitest';
import type { Bytes32 } from '../protocol/types.js';
import { memoryRunWorld, OTHER_PROVER, OUR_PROVER } from '../../test/support/memoryRunWorld.js';
import { confirmRun } from './confirmRun.js';

const SENT: Bytes32 = `0x${'5e'.repeat(32)}`;

/** A run whose root proof was sent in `SENT`; the test says what L1 made of it. */
async function sent(l1TxHash: Bytes32 | '' = SENT) {
  const world = memoryRunWorld();
  const { run } = await world.runIn('submitting', { rootDigest: 'sha256:root', l1TxHash });
  const waits: { txHash: Bytes32; confirmations: number; deadline: number | undefined }[] = [];
  const wait = world.chain.waitForReceipt.bind(world.chain);
  world.chain.waitForReceipt = (txHash, confirmations, options) => {
    waits.push({ txHash, confirmations, deadline: options?.deadline });
    return wait(txHash, confirmations, options);
  };
  return { world, run, waits, confirm: () => confirmRun(world.deps, world.settings, run.runId) };
}

describe('confirmRun', () => {
  it('waits for the configured confirmations, bounded by the deadline, and records the transaction that was mined', async () => {
    const { world, run, waits, confirm } = await sent();
    world.chain.receipts.set(SENT, 'success');
    expect(await confirm()).toEqual({ kind: 'confirmed' });
    expect(waits).toEqual([{ txHash: SENT, confirmations: world.settings.confirmations, deadline: run.provingDeadline }]);
    expect(await world.store.getRun(run.runId)).toMatchObject({ state: 'confirmed', l1TxHash: SENT });
  });

  it('records a replacement (a fee bump) as the mined transaction', async () => {
    const { world, run, confirm } = await sent();
    const bumped: Bytes32 = `0x${'b0'.repeat(32)}`;
    world.chain.waitForReceipt = async () => ({ txHash: bumped, status: 'success', blockNumber: 9n, gasUsed: 1n });
    expect(await confirm()).toEqual({ kind: 'confirmed' });
    expect((await world.store.getRun(run.runId))?.l1TxHash).toBe(bumped);
  });

  it('confirms a reverted submission when the block is proven under our id after all, however cased', async () => {
    const { world, run, confirm } = await sent();
    world.chain.receipts.set(SENT, 'reverted');
    world.chain.setState(run.blockNumber, { status: 'proven', provenBy: OUR_PROVER.toUpperCase().replace('0X', '0x') as typeof OUR_PROVER });
    expect(await confirm()).toEqual({ kind: 'confirmed' });
    expect(await world.store.getRun(run.runId)).toMatchObject({ state: 'confirmed', l1TxHash: SENT });
  });

  it('abandons the run when another firm proved the block first', async () => {
    const { world, run, confirm } = await sent();
    world.chain.receipts.set(SENT, 'reverted');
    world.chain.setState(run.blockNumber, { status: 'proven', provenBy: OTHER_PROVER });
    const reason = `our submission reverted: proven first by ${OTHER_PROVER}`;
    expect(await confirm()).toEqual({ kind: 'abandoned', reason });
    expect(await world.store.getRun(run.runId)).toMatchObject({ state: 'abandoned', stateReason: reason });
  });

  it('forgets a reverted submission of an unproven block, so the submit state sends again', async () => {
    const { world, run, confirm } = await sent();
    world.chain.receipts.set(SENT, 'reverted');
    expect(await confirm()).toEqual({ kind: 'resubmit', why: `submission ${SENT} reverted` });
    expect(await world.store.getRun(run.runId)).toMatchObject({ state: 'submitting', l1TxHash: '' });
  });

  it('skips a run that sent nothing, is in another state, or does not exist', async () => {
    const unsent = await sent('');
    expect(await unsent.confirm()).toEqual({ kind: 'skipped', why: 'run is submitting' });
    expect(unsent.waits).toEqual([]);
    const { world, run, confirm, waits } = await sent();
    await world.store.transitionRun(run.runId, ['submitting'], 'abandoned', {}, world.clock.now());
    expect(await confirm()).toEqual({ kind: 'skipped', why: 'run is abandoned' });
    expect(await confirmRun(world.deps, world.settings, 'b9-none')).toEqual({ kind: 'skipped', why: 'run is missing' });
    expect(waits).toEqual([]);
  });
});
