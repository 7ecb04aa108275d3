import { parseEther } from 'viem';
import { beforeEach, describe, expect, it } from 'vitest';
import { devnetNextStateRoot, DEVNET_GENESIS_STATE_ROOT } from '../../core/protocol/devnetStateTransition.js';
import { decodeRollupEvents } from '../../l1/events/decodeRollupEvents.js';
import { expectRevert } from '../../l1/testing/expectRevert.js';
import type { ProtocolFixture } from '../../l1/testing/protocolFixture.js';
import {
  attestedProof,
  blockInSlot,
  commitInSlot,
  etherReceived,
  startFixtureWithSequencerAndProver,
  submitAttestedProof,
} from '../../l1/testing/protocolSteps.js';
import { withdrawRewards } from '../../l1/sequencer/sequencerActions.js';

let f: ProtocolFixture;
const sequencer = () => f.wallets[1]!;
const prover = () => f.wallets[4]!;

beforeEach(async () => {
  f = await startFixtureWithSequencerAndProver();
});

describe('Rollup: one block end to end', () => {
  it('proposes, reveals, commits a quote, accepts the committed proof, credits rewards and releases the bond', async () => {
    const chain = f.rollupChain(f.wallets[0]!);
    const { blockNumber, body } = await blockInSlot(f, 1n, sequencer());
    expect(blockNumber).toBe(1n);
    expect(await chain.tips()).toEqual({ proven: 0n, pending: 1n });
    expect(await chain.revealedBody(1n)).toBe(body);

    await commitInSlot(f, prover(), sequencer(), { blockNumber, feeBps: 7_000, bond: parseEther('2') });
    expect((await f.escrowAccount(prover().account.address)).locked).toBe(parseEther('2'));
    const committed = await chain.blockState(blockNumber);
    expect(committed).toMatchObject({ status: 'revealed', committedProver: prover().account.address, exclusiveUntil: f.schedule(1n).exclusiveUntil });

    await submitAttestedProof(f, prover(), await attestedProof(f, prover(), blockNumber));
    const proven = await chain.blockState(blockNumber);
    expect(proven).toMatchObject({
      status: 'proven',
      provenBy: prover().account.address,
      stateRoot: devnetNextStateRoot(DEVNET_GENESIS_STATE_ROOT, committed.bodyHash),
      txCount: 4,
    });
    expect(await chain.tips()).toEqual({ proven: 1n, pending: 1n });

    // 1 ETH block reward + 4 txs × 0.01 ETH; 70% (the quoted fee) to the prover, 10% to the sequencer.
    const total = parseEther('1.04');
    expect(await f.rewardsOf(prover().account.address)).toBe((total * 7_000n) / 10_000n);
    expect(await f.rewardsOf(sequencer().account.address)).toBe((total * 1_000n) / 10_000n);
    expect(await f.escrowAccount(prover().account.address)).toMatchObject({ balance: parseEther('5'), locked: 0n });

    const events = decodeRollupEvents(await f.publicClient.getLogs({ address: f.deployment.rollup, fromBlock: f.deployment.deploymentBlock }));
    expect(events.map((event) => event.type)).toEqual(['BlockProposed', 'BlockRevealed', 'ProverCommitted', 'BlockProven']);

    const paid = await etherReceived(f, sequencer(), () => withdrawRewards(sequencer(), f.deployment.rollup));
    expect(paid).toBe((total * 1_000n) / 10_000n);
    await expectRevert(withdrawRewards(sequencer(), f.deployment.rollup), 'NoRewards', [sequencer().account.address]);
  });
});
