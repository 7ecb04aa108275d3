import { parseEther, parseEventLogs, type Address } from 'viem';
import { beforeEach, describe, expect, it } from 'vitest';
import { encodeRootPublicInputs } from '../../core/protocol/publicInputs.js';
import { expectRevert } from '../../l1/testing/expectRevert.js';
import type { ProtocolFixture } from '../../l1/testing/protocolFixture.js';
import {
  attestedProof,
  blockInSlot,
  commitInSlot,
  startFixtureWithSequencerAndProver,
  submitAttestedProof,
} from '../../l1/testing/protocolSteps.js';
import type { L1WalletClient } from '../../l1/transactions/l1Clients.js';
import { rollupAbi } from '../artifacts/rollup.js';

const BURN_ADDRESS: Address = '0x000000000000000000000000000000000000dEaD';
let f: ProtocolFixture;
const sequencer = () => f.wallets[1]!;
const prover = () => f.wallets[4]!;
const rival = () => f.wallets[5]!;

/** Sends submitProof straight to the contract (no client-side deadline check), as any L1 account could. */
function sendProof(
  from: L1WalletClient,
  proof: Awaited<ReturnType<typeof attestedProof>>,
  { blockNumber = proof.publicInputs.blockNumber, gas }: { blockNumber?: bigint; gas?: bigint } = {},
) {
  return from.writeContract({
    address: f.deployment.rollup,
    abi: rollupAbi,
    functionName: 'submitProof',
    args: [blockNumber, encodeRootPublicInputs(proof.publicInputs), proof.proof],
    gas,
  });
}
beforeEach(async () => {
  f = await startFixtureWithSequencerAndProver();
});

describe('Rollup: the exclusive window, then the open race', () => {
  it('accepts only the committed prover id before exclusiveUntil', async () => {
    const { blockNumber } = await blockInSlot(f, 1n, sequencer());
    await commitInSlot(f, prover(), sequencer(), { blockNumber, feeBps: 7_000, bond: parseEther('2') });
    await f.advanceTo(f.schedule(1n).commitEnd);
    const { exclusiveUntil } = f.schedule(1n);
    await expectRevert(sendProof(rival(), await attestedProof(f, rival(), blockNumber)), 'ExclusiveWindow', [
      blockNumber,
      prover().account.address,
      BigInt(exclusiveUntil),
      rival().account.address,
    ]);
    await submitAttestedProof(f, prover(), await attestedProof(f, prover(), blockNumber));
    expect((await f.rollupChain(prover()).blockState(blockNumber)).provenBy).toBe(prover().account.address);
  });

  it('opens a block nobody committed to once its commit phase is over, at the open-race share', async () => {
    const { blockNumber } = await blockInSlot(f, 1n, sequencer());
    await f.advanceTo(f.schedule(1n).commitStart);
    await expectRevert(sendProof(rival(), await attestedProof(f, rival(), blockNumber)), 'ExclusiveWindow', [
      blockNumber,
      '0x0000000000000000000000000000000000000000',
      BigInt(f.schedule(1n).commitEnd),
      rival().account.address,
    ]);
    await f.advanceTo(f.schedule(1n).commitEnd);
    await submitAttestedProof(f, f.wallets[7]!, await attestedProof(f, rival(), blockNumber));
    expect(await f.rewardsOf(rival().account.address)).toBe((parseEther('1.04') * 8_000n) / 10_000n);
  });

  it('burns the whole bond of a committed prover that missed its window; the prover id that proved gets the open-race share only', async () => {
    const { blockNumber } = await blockInSlot(f, 1n, sequencer());
    await commitInSlot(f, prover(), sequencer(), { blockNumber, feeBps: 7_000, bond: parseEther('2') });
    await f.advanceTo(f.schedule(1n).exclusiveUntil);
    const burnBefore = await f.publicClient.getBalance({ address: BURN_ADDRESS });

    const hash = await sendProof(rival(), await attestedProof(f, rival(), blockNumber));
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });

    const slashed = parseEventLogs({ abi: rollupAbi, logs: receipt.logs, eventName: 'BondSlashed' });
    expect(slashed.map((log) => log.args)).toEqual([{ blockNumber, proverId: prover().account.address, bond: parseEther('2') }]);
    expect((await f.publicClient.getBalance({ address: BURN_ADDRESS })) - burnBefore).toBe(parseEther('2'));
    expect(await f.escrowAccount(prover().account.address)).toMatchObject({ balance: parseEther('3'), locked: 0n });
    expect(await f.escrowAccount(rival().account.address)).toMatchObject({ balance: 0n, locked: 0n });
    expect(await f.rewardsOf(rival().account.address)).toBe((parseEther('1.04') * 8_000n) / 10_000n);
    expect(await f.rewardsOf(prover().account.address)).toBe(0n);
  });

  it('burns the committed prover’s bond too when it proves after its window, and pays it the open-race share', async () => {
    const { blockNumber } = await blockInSlot(f, 1n, sequencer());
    await commitInSlot(f, prover(), sequencer(), { blockNumber, feeBps: 7_000, bond: parseEther('2') });
    await f.advanceTo(f.schedule(1n).exclusiveUntil);
    const hash = await sendProof(prover(), await attestedProof(f, prover(), blockNumber));
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
    const slashed = parseEventLogs({ abi: rollupAbi, logs: receipt.logs, eventName: 'BondSlashed' }).map((log) => log.args);
    expect(slashed).toEqual([{ blockNumber, proverId: prover().account.address, bond: parseEther('2') }]);
    expect(await f.rewardsOf(prover().account.address)).toBe((parseEther('1.04') * 8_000n) / 10_000n);
    expect(await f.escrowAccount(prover().account.address)).toMatchObject({ balance: parseEther('3'), locked: 0n });
  });
});

describe('Rollup: what a proof must match', () => {
  beforeEach(async () => {
    await blockInSlot(f, 1n, sequencer());
    await f.advanceTo(f.schedule(1n).commitEnd);
  });

  it('rejects a proof resubmitted under another prover id', async () => {
    const stolen = await attestedProof(f, prover(), 1n);
    const resubmitted = { publicInputs: { ...stolen.publicInputs, proverId: rival().account.address }, proof: stolen.proof };
    await expectRevert(sendProof(rival(), resubmitted), 'ProofRejected', [1n, 1, f.deployment.developmentVerifier]);
  });

  it('reverts a second proof of a proven block at its first check', async () => {
    await submitAttestedProof(f, prover(), await attestedProof(f, prover(), 1n));
    const second = await attestedProof(f, rival(), 1n);
    await expectRevert(sendProof(rival(), second), 'BlockAlreadyProven', [1n, prover().account.address]);
    // Mined anyway (fixed gas, no estimate), it costs little more than the transaction's base and calldata.
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash: await sendProof(rival(), second, { gas: 200_000n }) });
    expect(receipt.status).toBe('reverted');
    expect(receipt.gasUsed).toBeLessThan(35_000n);
  });

  it('names each mismatch between the public inputs and the chain', async () => {
    const good = await attestedProof(f, prover(), 1n);
    const zero = `0x${'00'.repeat(32)}` as const;
    const cases = [
      { inputs: { blockNumber: 2n }, error: 'PublicInputsBlockMismatch', args: [1n, 2n] },
      { inputs: { parentStateRoot: zero }, error: 'ParentStateRootMismatch', args: [good.publicInputs.parentStateRoot, zero] },
      { inputs: { bodyHash: zero }, error: 'PublicInputsBodyHashMismatch', args: [good.publicInputs.bodyHash, zero] },
    ];
    for (const { inputs, error, args } of cases) {
      await expectRevert(sendProof(prover(), await attestedProof(f, prover(), 1n, inputs), { blockNumber: 1n }), error, args);
    }
    await expectRevert(
      prover().writeContract({ address: f.deployment.rollup, abi: rollupAbi, functionName: 'submitProof', args: [1n, '0x1234', good.proof] }),
      'PublicInputsLength',
      [2n],
    );
  });

  it('needs the parent proven first, then chains the state roots', async () => {
    await blockInSlot(f, 2n, sequencer());
    await f.advanceTo(f.schedule(2n).commitEnd);
    await expectRevert(sendProof(prover(), await attestedProof(f, prover(), 2n)), 'ParentNotProven', [2n, 1n]);
    await submitAttestedProof(f, prover(), await attestedProof(f, prover(), 1n));
    await submitAttestedProof(f, prover(), await attestedProof(f, prover(), 2n));
    expect(await f.rollupChain(prover()).tips()).toEqual({ proven: 2n, pending: 2n });
  });

  it('refuses a proof after the deadline, on chain and before sending', async () => {
    const proof = await attestedProof(f, prover(), 1n);
    const { provingDeadline } = f.schedule(1n);
    await f.advanceTo(provingDeadline + 1);
    await expectRevert(sendProof(prover(), proof), 'ProvingDeadlinePassed', [
      1n,
      BigInt(provingDeadline),
      expect.any(BigInt) as bigint,
    ]);
    await expect(f.rollupChain(prover()).submitProof({ ...proof, deadline: provingDeadline })).rejects.toThrow(
      expect.objectContaining({ name: 'ProofDeadlinePassedError', deadline: provingDeadline }),
    );
  });
});
