// The outside audit's findings (issue 13), one EVM test (or more) per id, each titled by it. Every one of them failed on
// the protocol before v2; the closing note of issue 13 records how.
import { encodeFunctionData, getAddress, keccak256, parseEther, parseEventLogs, zeroAddress, type Address, type Hex } from 'viem';
import { beforeEach, describe, expect, it } from 'vitest';
import { encodeBlockBody } from '../../core/body/encodeBlockBody.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { encodeRootPublicInputs } from '../../core/protocol/publicInputs.js';
import type { ProtocolParameters } from '../../core/protocol/types.js';
import { requiredProverBond } from '../../core/protocol/bonds.js';
import { DEVNET_GENESIS_STATE_ROOT } from '../../core/protocol/devnetStateTransition.js';
import { depositToEscrow } from '../../l1/escrow/escrowActions.js';
import { proposeBlock, pruneRollup } from '../../l1/sequencer/sequencerActions.js';
import { expectRevert } from '../../l1/testing/expectRevert.js';
import { startProtocolFixture, TEST_PARAMETERS, type ProtocolFixture } from '../../l1/testing/protocolFixture.js';
import {
  attestedProof,
  blockInSlot,
  commitInSlot,
  proposeInSlot,
  revealInSlot,
  signedCommitment,
  stakeSequencers,
  testBody,
} from '../../l1/testing/protocolSteps.js';
import { toContractParameters } from '../../l1/rollup/parametersCodec.js';
import { confirmTransaction } from '../../l1/transactions/confirmTransaction.js';
import type { L1WalletClient } from '../../l1/transactions/l1Clients.js';
import { proverEscrowAbi, proverEscrowBytecode } from '../artifacts/proverEscrow.js';
import { rollupAbi, rollupBytecode } from '../artifacts/rollup.js';
import { verifierRegistryAbi, verifierRegistryBytecode } from '../artifacts/verifierRegistry.js';

const BURN_ADDRESS: Address = '0x000000000000000000000000000000000000dEaD';
/**
 * A verifier for another proof system, as raw EVM code: `verify` returns 32 zero bytes (false) for every input, so it
 * accepts none of the development attestations the first proof system's blocks carry.
 */
const OTHER_PROOF_SYSTEM_VERIFIER: Hex = '0x6460206000f36000526005601bf3';

let f: ProtocolFixture;
const sequencer = () => f.wallets[1]!;
const proverA = () => f.wallets[4]!;
const proverB = () => f.wallets[5]!;
/** Prover A's second id, or an uncommitted racer. */
const secondId = () => f.wallets[6]!;
const bystander = () => f.wallets[7]!;

/** Sends submitProof straight to the contract (no client-side checks), as any L1 account could, for `from`'s prover id. */
async function submitProofTx(from: L1WalletClient, blockNumber: bigint) {
  const { publicInputs, proof } = await attestedProof(f, from, blockNumber);
  return from.writeContract({
    address: f.deployment.rollup,
    abi: rollupAbi,
    functionName: 'submitProof',
    args: [blockNumber, encodeRootPublicInputs(publicInputs), proof],
  });
}

/** Proves the block under `from`'s prover id and waits for the receipt. */
async function proveBlock(from: L1WalletClient, blockNumber: bigint) {
  return f.publicClient.waitForTransactionReceipt({ hash: await submitProofTx(from, blockNumber) });
}

async function timestampOf(receipt: { blockNumber: bigint }): Promise<number> {
  return Number((await f.publicClient.getBlock({ blockNumber: receipt.blockNumber })).timestamp);
}

const burnBalance = () => f.publicClient.getBalance({ address: BURN_ADDRESS });
const stakeOf = (account: Address) =>
  f.publicClient.readContract({ address: f.deployment.rollup, abi: rollupAbi, functionName: 'sequencerStake', args: [account] });
/** A prover's wealth inside the protocol: its escrow balance plus its credited rewards. */
async function holdings(prover: L1WalletClient): Promise<bigint> {
  const address = prover.account.address;
  return (await f.escrowAccount(address)).balance + (await f.rewardsOf(address));
}
const blockReward = (txCount: number) => f.parameters.blockReward + f.parameters.feePerTx * BigInt(txCount);

/** A well-sized body that no prover can prove: its second tx repeats the first one's hash. */
function duplicateTxBody(seed: string): Hex {
  const [tx] = syntheticBlockBody({ txs: 1, publicCalls: { kind: 'fixed', calls: 1 }, seed }).txs;
  return encodeBlockBody({ txs: [tx!, tx!] });
}

async function deployRollupWith(parameters: ProtocolParameters, verifierRegistry: Address = zeroAddress) {
  const deployer = f.wallets[0]!;
  const escrow = await confirmTransaction(
    f.publicClient,
    'deploy escrow',
    deployer.deployContract({ abi: proverEscrowAbi, bytecode: proverEscrowBytecode, args: [parameters.escrowWithdrawalDelaySeconds] }),
  );
  return deployer.deployContract({
    abi: rollupAbi,
    bytecode: rollupBytecode,
    args: [toContractParameters(parameters), escrow.contractAddress!, verifierRegistry, DEVNET_GENESIS_STATE_ROOT],
  });
}

describe('H1: no honest prover is slashed for someone else’s delay', () => {
  beforeEach(async () => {
    f = await startProtocolFixture();
    await stakeSequencers(f, [sequencer()]);
    for (const prover of [proverA(), proverB(), secondId()]) await depositToEscrow(prover, f.deployment.escrow, parseEther('5'));
  });

  it('H1: a parent proven after the child’s window restarts the child’s window and deadline; the delaying prover cannot take the child, and its own bond is burnt whole', async () => {
    await blockInSlot(f, 1n, sequencer());
    await commitInSlot(f, proverA(), sequencer(), { blockNumber: 1n, feeBps: 5_000, bond: parseEther('2') });
    await blockInSlot(f, 2n, sequencer());
    await commitInSlot(f, proverB(), sequencer(), { blockNumber: 2n, feeBps: 5_000, bond: parseEther('2') });
    const burnt = await burnBalance();

    // A proves block 1 only once B's window on block 2, as it was set at commitment, has closed.
    await f.advanceTo(f.schedule(2n).exclusiveUntil);
    const provenAt = await timestampOf(await proveBlock(proverA(), 1n));
    const child = await f.rollupChain(bystander()).blockState(2n);
    expect(child).toMatchObject({
      exclusiveUntil: provenAt + f.parameters.exclusiveWindowSeconds,
      provingDeadline: provenAt + f.parameters.provingDeadlineSeconds,
    });

    // A's second id cannot take block 2 while B's restarted window runs …
    await expectRevert(submitProofTx(secondId(), 2n), 'ExclusiveWindow', [
      2n,
      proverB().account.address,
      BigInt(provenAt + f.parameters.exclusiveWindowSeconds),
      secondId().account.address,
    ]);
    // … and B, ready all along, proves inside it: its quoted fee, its bond back.
    const receipt = await proveBlock(proverB(), 2n);
    expect(receipt.status).toBe('success');
    expect(parseEventLogs({ abi: rollupAbi, logs: receipt.logs, eventName: 'BondReleased' }).map((log) => log.args.proverId)).toEqual([
      proverB().account.address,
    ]);
    expect(await f.escrowAccount(proverB().account.address)).toMatchObject({ balance: parseEther('5'), locked: 0n });
    expect(await f.rewardsOf(proverB().account.address)).toBe((blockReward(4) * 5_000n) / 10_000n);

    // A missed its own window: its bond is burnt, and no id of A's is paid any of it.
    expect(await f.escrowAccount(proverA().account.address)).toMatchObject({ balance: parseEther('3'), locked: 0n });
    expect(await f.escrowAccount(secondId().account.address)).toMatchObject({ balance: parseEther('5') });
    expect((await burnBalance()) - burnt).toBe(parseEther('2'));
  });

  it('H1: an uncommitted parent proven late in the open race (no malice at all) does not cost the child’s prover its bond', async () => {
    await blockInSlot(f, 1n, sequencer());
    await blockInSlot(f, 2n, sequencer());
    await commitInSlot(f, proverB(), sequencer(), { blockNumber: 2n, feeBps: 5_000, bond: parseEther('2') });

    await f.advanceTo(f.schedule(2n).exclusiveUntil + 10);
    const provenAt = await timestampOf(await proveBlock(secondId(), 1n));
    await expectRevert(submitProofTx(secondId(), 2n), 'ExclusiveWindow', [
      2n,
      proverB().account.address,
      BigInt(provenAt + f.parameters.exclusiveWindowSeconds),
      secondId().account.address,
    ]);
    expect((await proveBlock(proverB(), 2n)).status).toBe('success');
    expect(await f.escrowAccount(proverB().account.address)).toMatchObject({ balance: parseEther('5'), locked: 0n });
  });
});

describe('M1: a quote binds the body it was given for', () => {
  it('M1: a quote signed for one body cannot be committed after a higher-scoring reveal replaced it with another', async () => {
    f = await startProtocolFixture();
    const sequencers = [f.wallets[1]!, f.wallets[2]!, f.wallets[3]!];
    await stakeSequencers(f, sequencers);
    await depositToEscrow(proverA(), f.deployment.escrow, parseEther('5'));
    // A score does not depend on the body: learn the ranking on a fork, then propose for real.
    const fork = await f.testClient.snapshot();
    const scored: { sequencer: L1WalletClient; score: bigint }[] = [];
    for (const s of sequencers) scored.push({ sequencer: s, score: BigInt(await proposeInSlot(f, 1n, s, testBody(1n, s))) });
    await f.testClient.revert({ id: fork });
    const [low, , high] = [...scored].sort((a, b) => (a.score < b.score ? -1 : 1)).map((entry) => entry.sequencer);
    const wellFormed = testBody(1n, low!);
    const malformed = duplicateTxBody('m1');
    await proposeInSlot(f, 1n, low!, wellFormed);
    await proposeInSlot(f, 1n, high!, malformed);

    // The prover checks the well-formed body and quotes for it; the high scorer countersigns the quote later.
    expect(await revealInSlot(f, 1n, low!, wellFormed)).toBe(1n);
    const quoted = await signedCommitment(f, proverA(), high!, { blockNumber: 1n, feeBps: 5_000, bond: parseEther('2') });
    expect(await revealInSlot(f, 1n, high!, malformed)).toBe(1n);

    await f.advanceTo(f.schedule(1n).commitStart);
    await expectRevert(f.rollupChain(high!).commitProver(quoted.quote, quoted.sequencerSignature), 'QuoteBodyMismatch', [
      1n,
      keccak256(wellFormed),
      keccak256(malformed),
    ]);
    expect(await f.escrowAccount(proverA().account.address)).toMatchObject({ locked: 0n });
  });
});

describe('M2: a block is verified by the proof system it was revealed under', () => {
  it('M2: a verifier switch leaves blocks revealed before it to the old verifier, and BlockProven names the version', async () => {
    const delay = 600;
    f = await startProtocolFixture({}, { verifierActivationDelaySeconds: delay });
    await stakeSequencers(f, [sequencer()]);
    await depositToEscrow(proverA(), f.deployment.escrow, parseEther('5'));
    const governance = f.wallets[0]!;
    const registry = { address: f.deployment.verifierRegistry, abi: verifierRegistryAbi } as const;
    const deployed = await confirmTransaction(
      f.publicClient,
      'deploy another proof system’s verifier',
      governance.sendTransaction({ data: OTHER_PROOF_SYSTEM_VERIFIER }),
    );
    const next = getAddress(deployed.contractAddress!);

    // Version 2 becomes activatable just after slot 7's reveal phase: block 1 is revealed under version 1.
    const slot = 7n;
    await f.advanceTo(f.schedule(slot).commitStart - delay);
    await confirmTransaction(f.publicClient, 'propose', governance.writeContract({ ...registry, functionName: 'proposeVerifier', args: [2, next] }));
    await blockInSlot(f, slot, sequencer());
    await commitInSlot(f, proverA(), sequencer(), { blockNumber: 1n, feeBps: 5_000, bond: parseEther('2') });
    const { activatableAt } = await f.publicClient.readContract({ ...registry, functionName: 'pendingVerifier', args: [2] });
    expect(Number(activatableAt)).toBeLessThan(f.schedule(slot).exclusiveUntil - 10);
    await f.advanceTo(Number(activatableAt));
    await confirmTransaction(f.publicClient, 'activate', governance.writeContract({ ...registry, functionName: 'activateVerifier', args: [2] }));

    const receipt = await proveBlock(proverA(), 1n);
    expect(receipt.status).toBe('success');
    const [proven] = parseEventLogs({ abi: rollupAbi, logs: receipt.logs, eventName: 'BlockProven' });
    expect(proven!.args).toMatchObject({ blockNumber: 1n, proverId: proverA().account.address, proofSystemVersion: 1 });

    // A block revealed after the switch is checked by version 2, which takes no development attestation.
    await blockInSlot(f, slot + 1n, sequencer());
    await f.advanceTo(f.schedule(slot + 1n).commitEnd);
    await expectRevert(submitProofTx(proverA(), 2n), 'ProofRejected', [2n, 2, next]);
  });
});

describe('M3: a sequencer pays for a block that cannot be proven', () => {
  beforeEach(async () => {
    f = await startProtocolFixture({ sequencerBlockBond: parseEther('0.25') });
    await stakeSequencers(f, [sequencer(), f.wallets[2]!]);
  });

  it('M3: the sequencer of the lowest pruned block forfeits its block bond (burnt); the descendants’ sequencers do not', async () => {
    const other = f.wallets[2]!;
    await blockInSlot(f, 1n, sequencer(), duplicateTxBody('m3'));
    await blockInSlot(f, 2n, other);
    const burnt = await burnBalance();
    await f.advanceTo(f.schedule(1n).provingDeadline + 1);
    const receipt = await pruneRollup(bystander(), f.deployment.rollup);

    const forfeited = parseEventLogs({ abi: rollupAbi, logs: receipt.logs, eventName: 'SequencerBondForfeited' }).map((log) => log.args);
    expect(forfeited).toEqual([{ blockNumber: 1n, sequencer: sequencer().account.address, amount: parseEther('0.25') }]);
    expect(await stakeOf(sequencer().account.address)).toMatchObject({ amount: parseEther('0.75'), lockedBlocks: 0 });
    expect(await stakeOf(other.account.address)).toMatchObject({ amount: parseEther('1'), lockedBlocks: 0 });
    expect((await burnBalance()) - burnt).toBe(parseEther('0.25'));
  });

  it('M3: reveal refuses a body that is not a whole, non-zero number of 34-byte txs', async () => {
    const ragged = `${testBody(1n, sequencer())}ff` as Hex;
    await proposeInSlot(f, 1n, sequencer(), ragged);
    await f.advanceTo(f.schedule(1n).revealStart);
    await expectRevert(
      sequencer().writeContract({ address: f.deployment.rollup, abi: rollupAbi, functionName: 'reveal', args: [1n, ragged] }),
      'MalformedBody',
      [BigInt((ragged.length - 2) / 2)],
    );
  });

  it('M3: a provably malformed body is pruned at once with its descendants; its sequencer’s bond burnt, its prover’s bond released', async () => {
    await depositToEscrow(proverA(), f.deployment.escrow, parseEther('5'));
    const malformed = duplicateTxBody('m3-proof');
    await blockInSlot(f, 1n, sequencer(), malformed);
    // A prover that committed anyway (the quote service would not have) is not the one at fault here.
    await commitInSlot(f, proverA(), sequencer(), { blockNumber: 1n, feeBps: 5_000, bond: parseEther('2') });
    await blockInSlot(f, 2n, f.wallets[2]!);
    const prune = (txIndex: bigint, otherTxIndex: bigint) =>
      bystander().writeContract({ address: f.deployment.rollup, abi: rollupAbi, functionName: 'pruneMalformed', args: [1n, malformed, txIndex, otherTxIndex] });
    await expectRevert(prune(0n, 0n), 'BodyNotMalformed', [1n, 0n, 0n]);
    const receipt = await confirmTransaction(f.publicClient, 'pruneMalformed', prune(0n, 1n));

    const events = parseEventLogs({ abi: rollupAbi, logs: receipt.logs });
    expect(events.map((event) => event.eventName)).toEqual(['BlockPruned', 'SequencerBondForfeited', 'BlockPruned', 'BondReleased']);
    expect(await f.rollupChain(bystander()).tips()).toEqual({ proven: 0n, pending: 0n });
    expect(await stakeOf(sequencer().account.address)).toMatchObject({ amount: parseEther('0.75'), lockedBlocks: 0 });
    expect(await f.escrowAccount(proverA().account.address)).toMatchObject({ balance: parseEther('5'), locked: 0n });
  });
});

describe('M4: proving late never pays more than proving in the window', () => {
  it('M4: deployment refuses parameters under which a late proof at any block size out-earns the bond', async () => {
    f = await startProtocolFixture();
    const valid: ProtocolParameters = { ...TEST_PARAMETERS, genesisTime: 0 };
    // At 64 txs the open-race share is 0.8 × (1 + 0.64) ETH = 1.312 ETH, above a flat 1 ETH bond.
    await expectRevert(deployRollupWith({ ...valid, proverBondPerTx: 0n }), 'LateProvingPaysMore', [64n, parseEther('1.312'), parseEther('1')], rollupAbi);
    // At 1 tx it is 0.808 ETH, above a 0.5 ETH base bond.
    await expectRevert(
      deployRollupWith({ ...valid, minProverBond: parseEther('0.5') }),
      'LateProvingPaysMore',
      [1n, parseEther('0.808'), parseEther('0.51')],
      rollupAbi,
    );
  });

  it('M4: a committed prover that proves after its window, under a second id, nets less than its quoted fee would have paid', async () => {
    f = await startProtocolFixture();
    await stakeSequencers(f, [sequencer()]);
    for (const prover of [proverA(), secondId()]) await depositToEscrow(prover, f.deployment.escrow, parseEther('5'));
    const { blockNumber } = await blockInSlot(f, 1n, sequencer());
    const feeBps = 100;
    // The smallest bond the contract takes for a 4-tx block.
    await commitInSlot(f, proverA(), sequencer(), { blockNumber, feeBps, bond: requiredProverBond(f.parameters, 4) });
    const before = (await holdings(proverA())) + (await holdings(secondId()));
    await f.advanceTo(f.schedule(1n).exclusiveUntil);
    expect((await proveBlock(secondId(), blockNumber)).status).toBe('success');
    const late = (await holdings(proverA())) + (await holdings(secondId())) - before;
    const inWindow = (blockReward(4) * BigInt(feeBps)) / 10_000n;
    expect(late).toBeLessThan(inWindow);
  });
});

describe('L1: pruning does bounded work', () => {
  it('L1: deployment refuses a pending-chain cap above 256 blocks, or one the proving deadline would outgrow', async () => {
    f = await startProtocolFixture();
    const valid: ProtocolParameters = { ...TEST_PARAMETERS, genesisTime: 0 };
    await expectRevert(deployRollupWith({ ...valid, maxPendingBlocks: 257 }), 'PendingCapOutOfRange', [257n, 2n, 256n], rollupAbi);
    await expectRevert(deployRollupWith({ ...valid, maxPendingBlocks: 1 }), 'PendingCapOutOfRange', [1n, 2n, 256n], rollupAbi);
  });

  it('L1: propose refuses to grow the pending chain past maxPendingBlocks, so a prune never handles more', async () => {
    f = await startProtocolFixture({ maxPendingBlocks: 2 });
    await stakeSequencers(f, [sequencer()]);
    await blockInSlot(f, 1n, sequencer());
    await blockInSlot(f, 2n, sequencer());
    await f.advanceTo(f.schedule(3n).start);
    await expectRevert(
      proposeBlock(sequencer(), f.deployment.rollup, {
        slot: 3n,
        parentBlock: 2n,
        parentBodyHash: (await f.rollupChain(sequencer()).blockState(2n)).bodyHash,
        bodyHash: keccak256(testBody(3n, sequencer())),
      }),
      'PendingChainFull',
      [0n, 2n, 2n],
    );
  });
});

describe('L2: the verifier registry lets users leave before a change', () => {
  const registry = () => ({ address: f.deployment.verifierRegistry, abi: verifierRegistryAbi }) as const;
  const deployVerifier = async () =>
    (await confirmTransaction(f.publicClient, 'deploy', f.wallets[0]!.sendTransaction({ data: OTHER_PROOF_SYSTEM_VERIFIER }))).contractAddress!;

  beforeEach(async () => {
    f = await startProtocolFixture({}, { verifierActivationDelaySeconds: 600, verifierActivationWindowSeconds: 300 });
  });

  it('L2: governance can cancel a proposed verifier before it activates', async () => {
    const governance = f.wallets[0]!;
    await confirmTransaction(f.publicClient, 'propose', governance.writeContract({ ...registry(), functionName: 'proposeVerifier', args: [2, await deployVerifier()] }));
    await expectRevert(bystander().writeContract({ ...registry(), functionName: 'cancelVerifier', args: [2] }), 'NotGovernance');
    await confirmTransaction(f.publicClient, 'cancel', governance.writeContract({ ...registry(), functionName: 'cancelVerifier', args: [2] }));
    await f.advanceTo((await f.latestTimestamp()) + 600);
    await expectRevert(governance.writeContract({ ...registry(), functionName: 'activateVerifier', args: [2] }), 'NoPendingVerifier', [2]);
  });

  it('L2: a proposal not activated within its activation window expires', async () => {
    const governance = f.wallets[0]!;
    await confirmTransaction(f.publicClient, 'propose', governance.writeContract({ ...registry(), functionName: 'proposeVerifier', args: [2, await deployVerifier()] }));
    const activatableAt = Number((await f.publicClient.readContract({ ...registry(), functionName: 'pendingVerifier', args: [2] })).activatableAt);
    await f.advanceTo(activatableAt + 300);
    await expectRevert(governance.writeContract({ ...registry(), functionName: 'activateVerifier', args: [2] }), 'ProposalExpired', [
      2,
      BigInt(activatableAt + 300),
      expect.any(BigInt) as bigint,
    ]);
  });

  it('L2: the rollup refuses a registry whose activation delay does not outlast escrow withdrawals and sequencer exits', async () => {
    const deployer = f.wallets[0]!;
    const shortDelay = await confirmTransaction(
      f.publicClient,
      'deploy registry',
      deployer.deployContract({
        abi: verifierRegistryAbi,
        bytecode: verifierRegistryBytecode,
        args: [deployer.account.address, 400, 300, 1, f.deployment.developmentVerifier],
      }),
    );
    const valid: ProtocolParameters = { ...TEST_PARAMETERS, genesisTime: 0 };
    await expectRevert(deployRollupWith(valid, shortDelay.contractAddress!), 'VerifierDelayTooShort', [400n, 400n, 50n], rollupAbi);
  });
});

describe('L3: a proposal binds its parent’s body, not just its number', () => {
  it('L3: a proposal made on one parent body cannot land on another after an L1 reorg', async () => {
    f = await startProtocolFixture();
    const [first, second, third] = [f.wallets[1]!, f.wallets[2]!, f.wallets[3]!];
    await stakeSequencers(f, [first, second, third]);
    const beforeSlot1 = await f.testClient.snapshot();

    // The chain as first seen: `first` wins slot 1, `second` proposes for slot 2 on top of that body.
    await blockInSlot(f, 1n, first);
    await f.advanceTo(f.schedule(2n).start);
    const seenParent = (await f.rollupChain(second).blockState(1n)).bodyHash;
    const proposal = await second.prepareTransactionRequest({
      to: f.deployment.rollup,
      data: encodeFunctionData({
        abi: rollupAbi,
        functionName: 'propose',
        args: [2n, 1n, seenParent, keccak256(testBody(2n, second))],
      }),
      gas: 300_000n,
    });
    const signed = await second.signTransaction(proposal);
    expect((await f.publicClient.waitForTransactionReceipt({ hash: await f.publicClient.sendRawTransaction({ serializedTransaction: signed }) })).status).toBe(
      'success',
    );

    // An L1 reorg: in the canonical chain `third` won slot 1 with another body, and the same proposal is re-included.
    await f.testClient.revert({ id: beforeSlot1 });
    await blockInSlot(f, 1n, third);
    await f.advanceTo(f.schedule(2n).start);
    const replayed = await f.publicClient.waitForTransactionReceipt({ hash: await f.publicClient.sendRawTransaction({ serializedTransaction: signed }) });
    expect(replayed.status).toBe('reverted');
    await expectRevert(
      proposeBlock(second, f.deployment.rollup, { slot: 2n, parentBlock: 1n, parentBodyHash: seenParent, bodyHash: keccak256(testBody(2n, second)) }),
      'ParentBodyMismatch',
      [1n, (await f.rollupChain(second).blockState(1n)).bodyHash, seenParent],
    );
  });
});
