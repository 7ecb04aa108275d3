// Gas used by each protocol step on the in-process chain with the devnet parameters: the first registration, the
// first proposal of a slot (it also records the slot's randomness), the reveal of a 64-tx body, a commitment, the
// committed prover's proof in its window (rewards credited, bond released), a prune of one committed block (bond
// burnt) and an escrow withdrawal.
import { keccak256, parseEther, zeroHash, type TransactionReceipt } from 'viem';
import { depositToEscrow, initiateEscrowWithdrawal, withdrawFromEscrow } from '../l1/escrow/escrowActions.js';
import { DEVNET_PARAMETER_DEFAULTS } from '../l1/deploy/devnetParameters.js';
import { proposeBlock, pruneRollup, registerSequencer, revealBlock } from '../l1/sequencer/sequencerActions.js';
import { startProtocolFixture } from '../l1/testing/protocolFixture.js';
import { attestedProof, blockInSlot, signedCommitment, testBody } from '../l1/testing/protocolSteps.js';
import { confirmTransaction } from '../l1/transactions/confirmTransaction.js';
import { writeResult } from './writeResult.js';

const f = await startProtocolFixture(DEVNET_PARAMETER_DEFAULTS);
const [, sequencer, , , prover] = f.wallets;
const gas = (receipt: TransactionReceipt) => Number(receipt.gasUsed);
const rollup = f.rollupChain(prover!);

const registerSequencerGas = gas(await registerSequencer(sequencer!, f.deployment.rollup, f.parameters.minSequencerStake));
await depositToEscrow(prover!, f.deployment.escrow, parseEther('10'));

const body = testBody(1n, sequencer!, 64);
await f.advanceTo(f.schedule(1n).start);
const proposeGas = gas(await proposeBlock(sequencer!, f.deployment.rollup, { slot: 1n, parentBlock: 0n, parentBodyHash: zeroHash, bodyHash: keccak256(body) }));
await f.advanceTo(f.schedule(1n).revealStart);
const revealGas = gas(await revealBlock(sequencer!, f.deployment.rollup, 1n, body));

const terms = { blockNumber: 1n, feeBps: 6_000, bond: f.parameters.minProverBond };
const commitment = await signedCommitment(f, prover!, sequencer!, terms);
await f.advanceTo(f.schedule(1n).commitStart);
const commitProverGas = gas(await confirmTransaction(f.publicClient, 'commitProver', rollup.commitProver(commitment.quote, commitment.sequencerSignature)));
const proof = await attestedProof(f, prover!, 1n);
const submitProofGas = gas(
  await confirmTransaction(f.publicClient, 'submitProof', rollup.submitProof({ ...proof, deadline: f.schedule(1n).provingDeadline })),
);

await blockInSlot(f, 2n, sequencer!);
const second = await signedCommitment(f, prover!, sequencer!, { ...terms, blockNumber: 2n });
await f.advanceTo(f.schedule(2n).commitStart);
await confirmTransaction(f.publicClient, 'commitProver', rollup.commitProver(second.quote, second.sequencerSignature));
await f.advanceTo(f.schedule(2n).provingDeadline + 1);
const pruneGas = gas(await pruneRollup(f.wallets[7]!, f.deployment.rollup));

await initiateEscrowWithdrawal(prover!, f.deployment.escrow, parseEther('1'));
await f.advanceTo((await f.latestTimestamp()) + f.parameters.escrowWithdrawalDelaySeconds);
const withdrawGas = gas(await withdrawFromEscrow(prover!, f.deployment.escrow));

writeResult('gas', {
  registerSequencer: registerSequencerGas,
  propose: proposeGas,
  reveal: revealGas,
  commitProver: commitProverGas,
  submitProof: submitProofGas,
  prune: pruneGas,
  withdraw: withdrawGas,
});
