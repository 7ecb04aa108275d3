import { keccak256, parseEther } from 'viem';
import { beforeEach, describe, expect, it } from 'vitest';
import { depositToEscrow } from '../../l1/escrow/escrowActions.js';
import { quoteStructHash } from '../../l1/quotes/quoteSignatures.js';
import { contractQuote } from '../../l1/quotes/contractQuote.js';
import { expectRevert } from '../../l1/testing/expectRevert.js';
import { startProtocolFixture, type ProtocolFixture } from '../../l1/testing/protocolFixture.js';
import { blockInSlot, signedCommitment, stakeSequencers } from '../../l1/testing/protocolSteps.js';
import { confirmTransaction } from '../../l1/transactions/confirmTransaction.js';
import { rollupAbi } from '../artifacts/rollup.js';

let f: ProtocolFixture;
const sequencer = () => f.wallets[1]!;
const otherSequencer = () => f.wallets[2]!;
const prover = () => f.wallets[4]!;
const bond = parseEther('2');

beforeEach(async () => {
  f = await startProtocolFixture();
  await stakeSequencers(f, [sequencer(), otherSequencer()]);
  await depositToEscrow(prover(), f.deployment.escrow, parseEther('5'));
  await blockInSlot(f, 1n, sequencer());
});

describe('Rollup: prover commitment', () => {
  it('hashes a quote exactly as the TypeScript signer does', async () => {
    const terms = { blockNumber: 1n, slot: 1n, bodyHash: keccak256('0x01'), proverId: prover().account.address, feeBps: 1234, bond, validUntil: 99 };
    const onChain = await f.publicClient.readContract({ address: f.deployment.rollup, abi: rollupAbi, functionName: 'quoteHash', args: [contractQuote(terms)] });
    expect(onChain).toBe(quoteStructHash(terms));
  });

  it('refuses a commitment outside the commit phase', async () => {
    const { quote, sequencerSignature } = await signedCommitment(f, prover(), sequencer(), { blockNumber: 1n, feeBps: 5_000, bond });
    const { commitStart, commitEnd } = f.schedule(1n);
    await expectRevert(f.rollupChain(prover()).commitProver(quote, sequencerSignature), 'OutsidePhase', [
      2,
      1n,
      expect.any(BigInt) as bigint,
      BigInt(commitStart),
      BigInt(commitEnd),
    ]);
  });

  it('names every quote it refuses', async () => {
    await f.advanceTo(f.schedule(1n).commitStart);
    const { commitEnd } = f.schedule(1n);
    const refuse = async (terms: Parameters<typeof signedCommitment>[3], errorName: string, args?: unknown[], countersigner = sequencer()) => {
      const { quote, sequencerSignature } = await signedCommitment(f, prover(), countersigner, terms);
      await expectRevert(f.rollupChain(f.wallets[7]!).commitProver(quote, sequencerSignature), errorName, args);
    };
    const ok = { blockNumber: 1n, feeBps: 5_000, bond };
    await refuse({ ...ok, validUntil: commitEnd - 95 }, 'QuoteExpired');
    await refuse({ ...ok, validUntil: commitEnd + 1 }, 'QuoteOutlivesCommitPhase', [BigInt(commitEnd + 1), BigInt(commitEnd)]);
    // The minimum grows with the block: 1 ETH + 0.01 ETH for each of its 4 txs.
    await refuse({ ...ok, bond: parseEther('1.039') }, 'BondBelowMinimum', [parseEther('1.039'), parseEther('1.04')]);
    await refuse({ ...ok, feeBps: 9_001 }, 'FeeAboveProverShare', [9_001n, 9_000n]);
    await refuse({ ...ok, bond: parseEther('6') }, 'InsufficientUnlockedBalance', [prover().account.address, parseEther('5'), parseEther('6')]);
    await refuse({ ...ok, blockNumber: 2n, slot: 1n, bodyHash: keccak256('0x02') }, 'BlockNotRevealed', [2n, 0]);
    await refuse({ ...ok, slot: 2n }, 'QuoteSlotMismatch', [1n, 2n, 1n]);
    await refuse({ ...ok, bodyHash: keccak256('0x02') }, 'QuoteBodyMismatch', [1n, keccak256('0x02'), (await f.rollupChain(prover()).blockState(1n)).bodyHash]);
    // Signed over another sequencer's acceptance, the signature recovers to an unrelated address.
    await refuse(ok, 'InvalidSequencerSignature', [sequencer().account.address, expect.any(String)], otherSequencer());

    const { quote, sequencerSignature } = await signedCommitment(f, prover(), sequencer(), ok);
    const forged = { ...quote, proverId: f.wallets[5]!.account.address };
    await expectRevert(f.rollupChain(prover()).commitProver(forged, sequencerSignature), 'InvalidProverSignature');
  });

  it('takes a commitment from any sender, once', async () => {
    await f.advanceTo(f.schedule(1n).commitStart);
    const { quote, sequencerSignature } = await signedCommitment(f, prover(), sequencer(), { blockNumber: 1n, feeBps: 5_000, bond });
    const bystander = f.rollupChain(f.wallets[7]!);
    await confirmTransaction(f.publicClient, 'commitProver', bystander.commitProver(quote, sequencerSignature));
    await expectRevert(bystander.commitProver(quote, sequencerSignature), 'AlreadyCommitted', [1n, prover().account.address]);
  });
});
