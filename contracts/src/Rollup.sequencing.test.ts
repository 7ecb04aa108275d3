import { keccak256, parseEventLogs, zeroHash } from 'viem';
import { beforeEach, describe, expect, it } from 'vitest';
import { encodeBlockBody } from '../../core/body/encodeBlockBody.js';
import { MAX_PUBLIC_CALLS_PER_TX } from '../../core/body/findMalformation.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { decodeRollupEvents } from '../../l1/events/decodeRollupEvents.js';
import {
  initiateSequencerExit,
  proposeBlock,
  registerSequencer,
  revealBlock,
  withdrawSequencerStake,
} from '../../l1/sequencer/sequencerActions.js';
import { expectRevert } from '../../l1/testing/expectRevert.js';
import { startProtocolFixture, type ProtocolFixture } from '../../l1/testing/protocolFixture.js';
import { blockInSlot, etherReceived, proposeInSlot, revealInSlot, stakeSequencers, testBody } from '../../l1/testing/protocolSteps.js';
import { rollupAbi } from '../artifacts/rollup.js';

let f: ProtocolFixture;
const sequencers = () => [f.wallets[1]!, f.wallets[2]!, f.wallets[3]!];

beforeEach(async () => {
  f = await startProtocolFixture();
  await stakeSequencers(f, sequencers());
});

describe('Rollup: Fernet proposals and reveals', () => {
  it('makes the highest-scoring revealed proposal the block, replacing lower reveals under the same number', async () => {
    const proposals = [];
    for (const sequencer of sequencers()) {
      const body = testBody(1n, sequencer);
      proposals.push({ sequencer, body, score: BigInt(await proposeInSlot(f, 1n, sequencer, body)) });
    }
    const [low, middle, high] = [...proposals].sort((a, b) => (a.score < b.score ? -1 : 1));
    await f.advanceTo(f.schedule(1n).revealStart);

    expect(await revealInSlot(f, 1n, middle!.sequencer, middle!.body)).toBe(1n);
    await expectRevert(revealBlock(low!.sequencer, f.deployment.rollup, 1n, low!.body), 'RevealOutscored');
    expect(await revealInSlot(f, 1n, high!.sequencer, high!.body)).toBe(1n);

    const chain = f.rollupChain(f.wallets[0]!);
    expect(await chain.blockState(1n)).toMatchObject({ sequencer: high!.sequencer.account.address, bodyHash: keccak256(high!.body) });
    expect(await chain.revealedBody(1n)).toBe(high!.body);
    expect(await chain.tips()).toEqual({ proven: 0n, pending: 1n });
    const reveals = decodeRollupEvents(await f.publicClient.getLogs({ address: f.deployment.rollup, fromBlock: f.deployment.deploymentBlock }))
      .filter((event) => event.type === 'BlockRevealed');
    expect(reveals.map((event) => event.sequencer)).toEqual([middle!.sequencer.account.address, high!.sequencer.account.address]);
  });

  it('emits the score the contract ranks by and records the slot randomness once', async () => {
    const [a, b] = sequencers();
    await proposeInSlot(f, 1n, a!, testBody(1n, a!));
    const receipt = await proposeBlock(b!, f.deployment.rollup, { slot: 1n, parentBlock: 0n, parentBodyHash: zeroHash, bodyHash: keccak256(testBody(1n, b!)) });
    expect(parseEventLogs({ abi: rollupAbi, logs: receipt.logs, eventName: 'RandomnessRecorded' })).toHaveLength(0);
    const all = await f.publicClient.getContractEvents({ address: f.deployment.rollup, abi: rollupAbi, eventName: 'RandomnessRecorded', fromBlock: 0n });
    expect(all.map((log) => log.args.slot)).toEqual([0n, 1n]);
  });

  it('reveals a body whose txs are malformed (pruneMalformed takes it out) but not an oversized one', async () => {
    const [a, b] = sequencers();
    const [tx] = syntheticBlockBody({ txs: 1, publicCalls: { kind: 'fixed', calls: 1 }, seed: 'twice' }).txs;
    const repeated = encodeBlockBody({ txs: [tx!, tx!] });
    const { blockNumber } = await blockInSlot(f, 1n, a!, repeated);
    expect(await f.rollupChain(a!).blockState(blockNumber)).toMatchObject({ status: 'revealed', txCount: 2 });

    const oversized = testBody(2n, b!, 65);
    await proposeInSlot(f, 2n, b!, oversized);
    await f.advanceTo(f.schedule(2n).revealStart);
    await expectRevert(revealBlock(b!, f.deployment.rollup, 2n, oversized), 'BodyTooLarge', [65n * 34n, 64n * 34n]);
    await expectRevert(revealBlock(b!, f.deployment.rollup, 2n, testBody(2n, a!)), 'BodyHashMismatch', [keccak256(oversized), keccak256(testBody(2n, a!))]);
    await expectRevert(revealBlock(f.wallets[3]!, f.deployment.rollup, 2n, oversized), 'NoProposal', [2n, f.wallets[3]!.account.address]);
  });

  it('names the same public-call limit as the off-chain malformation check', async () => {
    expect(await f.publicClient.readContract({ address: f.deployment.rollup, abi: rollupAbi, functionName: 'MAX_PUBLIC_CALLS_PER_TX' })).toBe(
      BigInt(MAX_PUBLIC_CALLS_PER_TX),
    );
  });

  it('takes proposals only from staked sequencers, in the proposal phase, on the pending tip, once a slot', async () => {
    const [a] = sequencers();
    const proposal = { slot: 1n, parentBlock: 0n, parentBodyHash: zeroHash, bodyHash: keccak256(testBody(1n, a!)) };
    const { start, revealStart } = f.schedule(1n);
    await f.advanceTo(start - 20);
    await expectRevert(proposeBlock(a!, f.deployment.rollup, proposal), 'OutsidePhase');
    await f.advanceTo(start);
    await expectRevert(proposeBlock(f.wallets[7]!, f.deployment.rollup, proposal), 'NotAnActiveSequencer', [f.wallets[7]!.account.address]);
    await expectRevert(proposeBlock(a!, f.deployment.rollup, { ...proposal, parentBlock: 5n }), 'ParentNotPendingTip', [5n, 0n]);
    await proposeBlock(a!, f.deployment.rollup, proposal);
    await expectRevert(proposeBlock(a!, f.deployment.rollup, proposal), 'AlreadyProposed', [1n, a!.account.address]);
    await f.advanceTo(revealStart);
    await expectRevert(proposeBlock(sequencers()[1]!, f.deployment.rollup, proposal), 'OutsidePhase', [
      0,
      1n,
      expect.any(BigInt) as bigint,
      BigInt(start),
      BigInt(revealStart),
    ]);
  });

  it('holds an exiting sequencer’s stake for the exit delay and stops its proposals', async () => {
    const [a] = sequencers();
    await expectRevert(registerSequencer(f.wallets[7]!, f.deployment.rollup, 1n), 'StakeBelowMinimum');
    await f.advanceTo(f.schedule(1n).start);
    await initiateSequencerExit(a!, f.deployment.rollup);
    const exitAt = (await f.latestTimestamp()) + f.parameters.sequencerExitDelaySeconds;
    await expectRevert(
      proposeBlock(a!, f.deployment.rollup, { slot: 1n, parentBlock: 0n, parentBodyHash: zeroHash, bodyHash: keccak256('0x01') }),
      'NotAnActiveSequencer',
    );
    await expectRevert(withdrawSequencerStake(a!, f.deployment.rollup), 'ExitDelayNotOver');
    await f.advanceTo(exitAt);
    expect(await etherReceived(f, a!, () => withdrawSequencerStake(a!, f.deployment.rollup))).toBe(f.parameters.minSequencerStake);
    await expectRevert(withdrawSequencerStake(a!, f.deployment.rollup), 'ExitNotInitiated');
  });
});
