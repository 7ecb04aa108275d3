import { keccak256, parseEther, parseEventLogs, zeroAddress, zeroHash } from 'viem';
import { beforeEach, describe, expect, it } from 'vitest';
import { decodeRollupEvents } from '../../l1/events/decodeRollupEvents.js';
import { proposeBlock, pruneRollup, registerSequencer } from '../../l1/sequencer/sequencerActions.js';
import { expectRevert } from '../../l1/testing/expectRevert.js';
import type { ProtocolFixture } from '../../l1/testing/protocolFixture.js';
import { blockInSlot, commitInSlot, startFixtureWithSequencerAndProver, testBody } from '../../l1/testing/protocolSteps.js';
import { rollupAbi } from '../artifacts/rollup.js';

let f: ProtocolFixture;
const sequencer = () => f.wallets[1]!;
const prover = () => f.wallets[4]!;
const isPruneDue = () => f.publicClient.readContract({ address: f.deployment.rollup, abi: rollupAbi, functionName: 'isPruneDue' });

beforeEach(async () => {
  f = await startFixtureWithSequencerAndProver();
});

describe('Rollup: pruning', () => {
  it('prunes the lowest block past its deadline with its descendants, burns its bonds (prover and sequencer), releases theirs', async () => {
    await blockInSlot(f, 1n, sequencer());
    await commitInSlot(f, prover(), sequencer(), { blockNumber: 1n, feeBps: 5_000, bond: parseEther('2') });
    await blockInSlot(f, 2n, sequencer());
    await commitInSlot(f, prover(), sequencer(), { blockNumber: 2n, feeBps: 5_000, bond: parseEther('1.5') });
    await blockInSlot(f, 3n, sequencer());
    const chain = f.rollupChain(f.wallets[7]!);
    expect(await chain.tips()).toEqual({ proven: 0n, pending: 3n });

    const { provingDeadline } = f.schedule(1n);
    await f.advanceTo(provingDeadline);
    expect(await isPruneDue()).toBe(false);
    await f.advanceTo(provingDeadline + 1);
    expect(await isPruneDue()).toBe(true);
    const receipt = await pruneRollup(f.wallets[7]!, f.deployment.rollup);

    const events = decodeRollupEvents(receipt.logs);
    // The rollup's own state first, then the escrow: every block pruned, then the bonds settled.
    expect(events.map((event) => [event.type, 'blockNumber' in event ? event.blockNumber : null])).toEqual([
      ['BlockPruned', 1n],
      ['BlockPruned', 2n],
      ['BlockPruned', 3n],
      ['BondSlashed', 1n],
    ]);
    expect(events[3]).toMatchObject({ proverId: prover().account.address, bond: parseEther('2') });
    const forfeited = parseEventLogs({ abi: rollupAbi, logs: receipt.logs, eventName: 'SequencerBondForfeited' }).map((log) => log.args);
    expect(forfeited).toEqual([{ blockNumber: 1n, sequencer: sequencer().account.address, amount: parseEther('0.1') }]);
    const released = parseEventLogs({ abi: rollupAbi, logs: receipt.logs, eventName: 'BondReleased' }).map((log) => log.args);
    expect(released).toEqual([{ blockNumber: 2n, proverId: prover().account.address, bond: parseEther('1.5') }]);

    expect(await chain.tips()).toEqual({ proven: 0n, pending: 0n });
    for (const blockNumber of [1n, 2n, 3n]) expect((await chain.blockState(blockNumber)).status).toBe('pruned');
    expect(await f.escrowAccount(prover().account.address)).toMatchObject({ balance: parseEther('3'), locked: 0n });
    await expectRevert(pruneRollup(f.wallets[7]!, f.deployment.rollup), 'NothingToPrune', [0n, 0n]);

    // The burnt block bond left the sequencer below the minimum stake: it tops up before proposing again.
    expect(await f.publicClient.readContract({ address: f.deployment.rollup, abi: rollupAbi, functionName: 'isActiveSequencer', args: [sequencer().account.address] })).toBe(false);
    await registerSequencer(sequencer(), f.deployment.rollup, parseEther('0.1'));
    // The chain resumes from the proven tip and reuses the pruned number, with none of the old block's state.
    const { blockNumber } = await blockInSlot(f, 4n, sequencer());
    expect(blockNumber).toBe(1n);
    expect(await chain.blockState(1n)).toMatchObject({ status: 'revealed', parentBlock: 0n, slot: 4n, committedProver: zeroAddress });
  });

  it('prunes lazily when a sequencer proposes after a deadline', async () => {
    await blockInSlot(f, 1n, sequencer());
    // Staked above the minimum, so the block bond burnt by the prune leaves it active.
    await registerSequencer(sequencer(), f.deployment.rollup, parseEther('0.1'));
    const slot = 4n;
    expect(f.schedule(slot).start).toBeGreaterThan(f.schedule(1n).provingDeadline);
    await f.advanceTo(f.schedule(slot).start);
    const receipt = await proposeBlock(sequencer(), f.deployment.rollup, {
      slot,
      parentBlock: 0n,
      parentBodyHash: zeroHash,
      bodyHash: keccak256(testBody(slot, sequencer())),
    });
    expect(decodeRollupEvents(receipt.logs).map((event) => event.type)).toEqual(['BlockPruned', 'BlockProposed']);
  });
});
