// Gas used by each protocol step on the in-process chain with the devnet parameters: the first registration, the
// first proposal of a slot (it also records the slot's randomness), the reveal of a 64-tx body (and a higher-scoring
// reveal replacing it), a commitment, the committed prover's proof in its window (rewards credited, bond released), a
// parent's proof that restarts its committed child's clock, a proof after the window (bond burnt), a prune of one
// committed block (both bonds burnt), pruneMalformed on a 64-tx body, an escrow withdrawal, a sequencer's exit, the
// verifier registry's steps; and a prune of a full pending chain (maxPendingBlocks blocks, each committed), the most
// one prune can do, at the devnet cap (32) and at the protocol's cap (256), with the deadline stretched to fit them.
import { keccak256, parseEther, parseEventLogs, zeroHash, type Hex, type TransactionReceipt } from 'viem';
import { rollupAbi } from '../contracts/artifacts/rollup.js';
import { verifierRegistryAbi } from '../contracts/artifacts/verifierRegistry.js';
import { encodeBlockBody } from '../core/body/encodeBlockBody.js';
import { syntheticBlockBody } from '../core/body/syntheticBlockBody.js';
import { slotAt } from '../core/protocol/slotSchedule.js';
import type { ProtocolParameters } from '../core/protocol/types.js';
import { DEVNET_PARAMETER_DEFAULTS } from '../l1/deploy/devnetParameters.js';
import { depositToEscrow, initiateEscrowWithdrawal, withdrawFromEscrow } from '../l1/escrow/escrowActions.js';
import {
  initiateSequencerExit,
  proposeBlock,
  pruneMalformedBlock,
  pruneRollup,
  registerSequencer,
  revealBlock,
  withdrawSequencerStake,
} from '../l1/sequencer/sequencerActions.js';
import { startProtocolFixture, type ProtocolFixture } from '../l1/testing/protocolFixture.js';
import { attestedProof, blockInSlot, commitInSlot, proposeInSlot, signedCommitment, testBody } from '../l1/testing/protocolSteps.js';
import { confirmTransaction } from '../l1/transactions/confirmTransaction.js';
import type { L1WalletClient } from '../l1/transactions/l1Clients.js';
import { writeResult } from './writeResult.js';

const gas = (receipt: TransactionReceipt) => Number(receipt.gasUsed);
const bond = (f: ProtocolFixture) => f.parameters.minProverBond * 2n;

async function prove(f: ProtocolFixture, prover: L1WalletClient, blockNumber: bigint): Promise<number> {
  const proof = await attestedProof(f, prover, blockNumber);
  const { provingDeadline } = await f.rollupChain(prover).blockState(blockNumber);
  return gas(await confirmTransaction(f.publicClient, 'submitProof', f.rollupChain(prover).submitProof({ ...proof, deadline: provingDeadline })));
}

/** The protocol's steps one by one, on the devnet parameters. */
async function steps() {
  const f = await startProtocolFixture(DEVNET_PARAMETER_DEFAULTS);
  const [, sequencer, rival, , prover] = f.wallets;
  const rollup = f.rollupChain(prover!);

  const registerSequencerGas = gas(await registerSequencer(sequencer!, f.deployment.rollup, parseEther('5')));
  await registerSequencer(rival!, f.deployment.rollup, parseEther('5'));
  await depositToEscrow(prover!, f.deployment.escrow, parseEther('10'));

  // Slot 1: both propose; the lower score reveals first, then the higher one replaces it.
  const bodies = [testBody(1n, sequencer!, 64), testBody(1n, rival!, 64)];
  await f.advanceTo(f.schedule(1n).start);
  const proposed = await proposeBlock(sequencer!, f.deployment.rollup, { slot: 1n, parentBlock: 0n, parentBodyHash: zeroHash, bodyHash: keccak256(bodies[0]!) });
  const proposeGas = gas(proposed);
  const [firstProposal] = parseEventLogs({ abi: rollupAbi, logs: proposed.logs, eventName: 'BlockProposed' });
  const scores = [BigInt(firstProposal!.args.score), BigInt(await proposeInSlot(f, 1n, rival!, bodies[1]!))];
  const [low, high] = scores[0]! < scores[1]! ? [0, 1] : [1, 0];
  const wallets = [sequencer!, rival!];
  await f.advanceTo(f.schedule(1n).revealStart);
  const revealGas = gas(await revealBlock(wallets[low]!, f.deployment.rollup, 1n, bodies[low]!));
  const revealReplacingGas = gas(await revealBlock(wallets[high]!, f.deployment.rollup, 1n, bodies[high]!));

  const commitment = await signedCommitment(f, prover!, wallets[high]!, { blockNumber: 1n, feeBps: 6_000, bond: bond(f) });
  await f.advanceTo(f.schedule(1n).commitStart);
  const commitProverGas = gas(await confirmTransaction(f.publicClient, 'commitProver', rollup.commitProver(commitment.quote, commitment.sequencerSignature)));
  const submitProofGas = await prove(f, prover!, 1n);
  // Slot 1's winner sequences every later block: its reward credit already exists, so each run compares like with like.
  const winner = wallets[high]!;

  // Block 3's parent (2) is proven after block 3's reveal phase: its window and deadline restart.
  await blockInSlot(f, 2n, winner);
  await commitInSlot(f, prover!, winner, { blockNumber: 2n, feeBps: 6_000, bond: bond(f) });
  await blockInSlot(f, 3n, winner);
  await commitInSlot(f, prover!, winner, { blockNumber: 3n, feeBps: 6_000, bond: bond(f) });
  const submitProofRestartingChildGas = await prove(f, prover!, 2n);
  // Block 3 proven after its (restarted) window: its bond is burnt.
  await f.advanceTo((await rollup.blockState(3n)).exclusiveUntil);
  const submitProofLateGas = await prove(f, prover!, 3n);

  const nextSlot = async () => slotAt(f.parameters, await f.latestTimestamp()) + 1n;
  const slot4 = await nextSlot();
  await blockInSlot(f, slot4, winner);
  await commitInSlot(f, prover!, winner, { blockNumber: 4n, feeBps: 6_000, bond: bond(f) });
  await f.advanceTo(f.schedule(slot4).provingDeadline + 1);
  const pruneGas = gas(await pruneRollup(f.wallets[7]!, f.deployment.rollup));

  const [tx] = syntheticBlockBody({ txs: 1, publicCalls: { kind: 'fixed', calls: 1 }, seed: 'twice' }).txs;
  const malformed = encodeBlockBody({ txs: [tx!, ...syntheticBlockBody({ txs: 62, publicCalls: { kind: 'fixed', calls: 1 }, seed: 'rest' }).txs, tx!] });
  await blockInSlot(f, await nextSlot(), winner, malformed);
  const pruneMalformedGas = gas(
    await pruneMalformedBlock(f.wallets[7]!, f.deployment.rollup, { blockNumber: 4n, body: malformed, txIndex: 0, otherTxIndex: 63 }),
  );

  await initiateEscrowWithdrawal(prover!, f.deployment.escrow, parseEther('1'));
  await f.advanceTo((await f.latestTimestamp()) + f.parameters.escrowWithdrawalDelaySeconds);
  const withdrawGas = gas(await withdrawFromEscrow(prover!, f.deployment.escrow));

  await initiateSequencerExit(rival!, f.deployment.rollup);
  await f.advanceTo((await f.latestTimestamp()) + f.parameters.sequencerExitDelaySeconds);
  const withdrawSequencerStakeGas = gas(await withdrawSequencerStake(rival!, f.deployment.rollup));

  const governance = f.wallets[0]!;
  const registry = { address: f.deployment.verifierRegistry, abi: verifierRegistryAbi } as const;
  const registryGas = async (action: string, sent: Promise<Hex>) => gas(await confirmTransaction(f.publicClient, action, sent));
  const propose = () => governance.writeContract({ ...registry, functionName: 'proposeVerifier', args: [2, f.deployment.developmentVerifier] });
  const proposeVerifierGas = await registryGas('proposeVerifier', propose());
  const cancelVerifierGas = await registryGas('cancelVerifier', governance.writeContract({ ...registry, functionName: 'cancelVerifier', args: [2] }));
  await registryGas('proposeVerifier', propose());
  await f.advanceTo((await f.latestTimestamp()) + 3600);
  const activateVerifierGas = await registryGas('activateVerifier', governance.writeContract({ ...registry, functionName: 'activateVerifier', args: [2] }));
  await f.chain.stop();

  return {
    registerSequencer: registerSequencerGas,
    propose: proposeGas,
    reveal: revealGas,
    revealReplacing: revealReplacingGas,
    commitProver: commitProverGas,
    submitProof: submitProofGas,
    submitProofRestartingChild: submitProofRestartingChildGas,
    submitProofLate: submitProofLateGas,
    prune: pruneGas,
    pruneMalformed: pruneMalformedGas,
    withdraw: withdrawGas,
    withdrawSequencerStake: withdrawSequencerStakeGas,
    proposeVerifier: proposeVerifierGas,
    cancelVerifier: cancelVerifierGas,
    activateVerifier: activateVerifierGas,
  };
}

/** A prune of `blocks` pending blocks, each committed: the most one prune does when the cap is `blocks`. */
async function pruneFullChain(blocks: number): Promise<{ total: number; perBlock: number }> {
  const slotSeconds = DEVNET_PARAMETER_DEFAULTS.slotSeconds;
  const overrides: Partial<ProtocolParameters> = {
    ...DEVNET_PARAMETER_DEFAULTS,
    maxPendingBlocks: blocks,
    provingDeadlineSeconds: blocks * slotSeconds,
    escrowWithdrawalDelaySeconds: blocks * slotSeconds + 1,
  };
  const f = await startProtocolFixture(overrides, { verifierActivationDelaySeconds: blocks * slotSeconds + 2 });
  const [, sequencer, , , prover] = f.wallets;
  await registerSequencer(sequencer!, f.deployment.rollup, f.parameters.sequencerBlockBond * BigInt(blocks) + parseEther('1'));
  await depositToEscrow(prover!, f.deployment.escrow, bond(f) * BigInt(blocks));
  for (let slot = 1n; slot <= BigInt(blocks); slot++) {
    await blockInSlot(f, slot, sequencer!);
    await commitInSlot(f, prover!, sequencer!, { blockNumber: slot, feeBps: 6_000, bond: bond(f) });
  }
  await f.advanceTo(f.schedule(1n).provingDeadline + 1);
  const total = gas(await pruneRollup(f.wallets[7]!, f.deployment.rollup));
  await f.chain.stop();
  return { total, perBlock: Math.round(total / blocks) };
}

writeResult('gas', {
  ...(await steps()),
  pruneFullChain32: await pruneFullChain(32),
  pruneFullChain256: await pruneFullChain(256),
});
