import { keccak256, parseEther, parseEventLogs, type Hex, type TransactionReceipt } from 'viem';
import { rollupAbi } from '../../contracts/artifacts/rollup.js';
import { encodeBlockBody } from '../../core/body/encodeBlockBody.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { devnetNextStateRoot } from '../../core/protocol/devnetStateTransition.js';
import type { Bytes32, QuoteTerms, RootPublicInputs, SignedQuote } from '../../core/protocol/types.js';
import { signDevelopmentAttestation } from '../attestation/signDevelopmentAttestation.js';
import { depositToEscrow } from '../escrow/escrowActions.js';
import { acceptQuote, signProverQuote } from '../quotes/quoteSignatures.js';
import { proposeBlock, registerSequencer, revealBlock } from '../sequencer/sequencerActions.js';
import { confirmTransaction } from '../transactions/confirmTransaction.js';
import type { L1WalletClient } from '../transactions/l1Clients.js';
import { startProtocolFixture, type ProtocolFixture } from './protocolFixture.js';

// Protocol steps the tests compose; each moves L1 time to the phase it needs.

/** A fresh fixture where wallet 1 is a staked sequencer and wallet 4 a prover with 5 ETH in escrow. */
export async function startFixtureWithSequencerAndProver(): Promise<ProtocolFixture> {
  const f = await startProtocolFixture();
  await stakeSequencers(f, [f.wallets[1]!]);
  await depositToEscrow(f.wallets[4]!, f.deployment.escrow, parseEther('5'));
  return f;
}

/** Runs `action` (a transaction from `wallet`) and returns the ether `wallet` received, net of the gas it paid. */
export async function etherReceived(f: ProtocolFixture, wallet: L1WalletClient, action: () => Promise<TransactionReceipt>): Promise<bigint> {
  const before = await f.publicClient.getBalance({ address: wallet.account.address });
  const receipt = await action();
  const after = await f.publicClient.getBalance({ address: wallet.account.address });
  return after - before + receipt.gasUsed * receipt.effectiveGasPrice;
}

export async function stakeSequencers(f: ProtocolFixture, sequencers: readonly L1WalletClient[]): Promise<void> {
  for (const sequencer of sequencers) await registerSequencer(sequencer, f.deployment.rollup, f.parameters.minSequencerStake);
}

/** A small well-formed body, different per slot and sequencer. */
export function testBody(slot: bigint, sequencer: L1WalletClient, txs = 4): Hex {
  return encodeBlockBody(syntheticBlockBody({ txs, publicCalls: { kind: 'fixed', calls: 1 }, seed: `${slot}:${sequencer.account.address}` }));
}

/** Proposes `body` in `slot` on top of the pending tip (and its body); returns the proposal's score. */
export async function proposeInSlot(f: ProtocolFixture, slot: bigint, sequencer: L1WalletClient, body: Hex): Promise<Bytes32> {
  await f.advanceTo(f.schedule(slot).start);
  const [, pending] = await f.publicClient.readContract({ address: f.deployment.rollup, abi: rollupAbi, functionName: 'tips' });
  const parentBodyHash = (await f.rollupChain(sequencer).blockState(pending)).bodyHash;
  const receipt = await proposeBlock(sequencer, f.deployment.rollup, { slot, parentBlock: pending, parentBodyHash, bodyHash: keccak256(body) });
  return parseEventLogs({ abi: rollupAbi, logs: receipt.logs, eventName: 'BlockProposed' })[0]!.args.score;
}

/** Reveals in `slot`'s reveal phase; returns the block number it became. */
export async function revealInSlot(f: ProtocolFixture, slot: bigint, sequencer: L1WalletClient, body: Hex): Promise<bigint> {
  await f.advanceTo(f.schedule(slot).revealStart);
  const receipt = await revealBlock(sequencer, f.deployment.rollup, slot, body);
  return parseEventLogs({ abi: rollupAbi, logs: receipt.logs, eventName: 'BlockRevealed' })[0]!.args.blockNumber;
}

/** Proposes and reveals a test body in `slot`; returns the block number and the body. */
export async function blockInSlot(
  f: ProtocolFixture,
  slot: bigint,
  sequencer: L1WalletClient,
  body = testBody(slot, sequencer),
): Promise<{ blockNumber: bigint; body: Hex }> {
  await proposeInSlot(f, slot, sequencer, body);
  return { blockNumber: await revealInSlot(f, slot, sequencer, body), body };
}

/** What a test says about a quote; the slot and body default to the block's current ones, validUntil to its commit end. */
export type TestQuoteTerms = Omit<QuoteTerms, 'proverId' | 'validUntil' | 'slot' | 'bodyHash'> & Partial<Pick<QuoteTerms, 'validUntil' | 'slot' | 'bodyHash'>>;

/** The prover's signed quote and the sequencer's countersignature, as the commit phase needs them. */
export async function signedCommitment(
  f: ProtocolFixture,
  prover: L1WalletClient,
  sequencer: L1WalletClient,
  terms: TestQuoteTerms,
): Promise<{ quote: SignedQuote; sequencerSignature: Hex }> {
  const block = await f.rollupChain(prover).blockState(terms.blockNumber);
  const full: QuoteTerms = {
    slot: block.slot,
    bodyHash: block.bodyHash,
    ...terms,
    proverId: prover.account.address,
    validUntil: terms.validUntil ?? f.schedule(terms.slot ?? block.slot).commitEnd,
  };
  return { quote: await signProverQuote(prover, f.domain, full), sequencerSignature: await acceptQuote(sequencer, f.domain, full) };
}

/** Commits `prover` to the block in its commit phase (sent by the sequencer). */
export async function commitInSlot(
  f: ProtocolFixture,
  prover: L1WalletClient,
  sequencer: L1WalletClient,
  terms: TestQuoteTerms,
): Promise<void> {
  const { quote, sequencerSignature } = await signedCommitment(f, prover, sequencer, terms);
  await f.advanceTo(f.schedule((await f.rollupChain(prover).blockState(terms.blockNumber)).slot).commitStart);
  await confirmTransaction(f.publicClient, 'commitProver', f.rollupChain(sequencer).commitProver(quote, sequencerSignature));
}

/** Public inputs for proving the block under `prover`'s id (the devnet state transition), and its attestation. */
export async function attestedProof(
  f: ProtocolFixture,
  prover: L1WalletClient,
  blockNumber: bigint,
  overrides: Partial<RootPublicInputs> = {},
): Promise<{ publicInputs: RootPublicInputs; proof: Hex }> {
  const chain = f.rollupChain(prover);
  const block = await chain.blockState(blockNumber);
  const parent = await chain.blockState(block.parentBlock);
  const publicInputs: RootPublicInputs = {
    blockNumber,
    proverId: prover.account.address,
    bodyHash: block.bodyHash,
    parentStateRoot: parent.stateRoot,
    newStateRoot: devnetNextStateRoot(parent.stateRoot, block.bodyHash),
    ...overrides,
  };
  return { publicInputs, proof: await signDevelopmentAttestation(prover, publicInputs) };
}

/** Sends `submitProof` from `submitter` and waits for it to be mined successfully. */
export async function submitAttestedProof(
  f: ProtocolFixture,
  submitter: L1WalletClient,
  proof: { publicInputs: RootPublicInputs; proof: Hex },
): Promise<void> {
  const chain = f.rollupChain(submitter);
  const deadline = (await chain.blockState(proof.publicInputs.blockNumber)).provingDeadline;
  await confirmTransaction(f.publicClient, 'submitProof', chain.submitProof({ ...proof, deadline }));
}
