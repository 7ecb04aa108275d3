import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToHex, parseEther, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noirTreeRootVerifierAbi } from '../../contracts/artifacts/noirTreeRootVerifier.js';
import { createBarretenbergProver } from '../../adapters/provers/barretenberg/barretenbergProver.js';
import { defaultCacheDirectory } from '../../adapters/provers/barretenberg/cacheDirectory.js';
import { prepareNoirTree, type NoirTreeSetup } from '../../adapters/provers/barretenberg/noirTreeSetup.js';
import { rootVerifierContractName } from '../../adapters/provers/barretenberg/rootVerifierSolidity.js';
import type { ProverBackend } from '../../core/ports/proverBackend.js';
import { runIdFor } from '../../core/run/runIdFor.js';
import { encodeRootPublicInputs } from '../../core/protocol/publicInputs.js';
import { PROOF_SYSTEMS } from '../../l1/deploy/proofSystems.js';
import { depositToEscrow } from '../../l1/escrow/escrowActions.js';
import { expectRevert } from '../../l1/testing/expectRevert.js';
import { startProtocolFixture, type ProtocolFixture } from '../../l1/testing/protocolFixture.js';
import { stakeSequencers } from '../../l1/testing/protocolSteps.js';
import { confirmTransaction } from '../../l1/transactions/confirmTransaction.js';
import { revealCommittedBlock } from '../support/committedBlock.js';
import { embeddedHarness, type EmbeddedHarness } from '../support/embeddedHarness.js';

// Real proofs take minutes on two cores, the first run also makes the development SRS and builds the circuits
// (cached afterwards, outside the work tree).
const MINUTES = 60_000;
const SEQUENCER = 1;
const PROVER = 4;
const THIEF = 5;

/** Flips one bit inside the first proof of `jobSuffix`, after the prover checked it: a faulty agent's output. */
function tamperingOnce(backend: ProverBackend, jobSuffix: string): ProverBackend & { readonly tampered: string[] } {
  const tampered: string[] = [];
  return {
    ...backend,
    tampered,
    async prove(request) {
      const proof = await backend.prove(request);
      if (!request.jobId.endsWith(jobSuffix) || tampered.length > 0) return proof;
      tampered.push(request.jobId);
      const bad = proof.slice();
      bad[bad.length - 32 * 100 - 1]! ^= 1;
      return bad;
    },
  };
}

describe('noir-tree: a block proven for real (Barretenberg, DEVELOPMENT SRS) and verified on L1', () => {
  let setup: NoirTreeSetup;
  let f: ProtocolFixture;
  let harness: EmbeddedHarness | undefined;
  let backend: ReturnType<typeof tamperingOnce>;
  let blockNumber: bigint;
  let beforeSubmission: Hex;

  beforeAll(async () => {
    setup = await prepareNoirTree({ cacheDirectory: defaultCacheDirectory(), srs: 'development' });
    // Windows far longer than proving takes on a busy two-core machine: L1 time follows the wall clock here.
    f = await startProtocolFixture(
      // L1 holds at most as many unproven blocks as one deadline can reveal (protocol v2): 36 at 100 s slots.
      { exclusiveWindowSeconds: 1_800, provingDeadlineSeconds: 3_600, escrowWithdrawalDelaySeconds: 7_200, maxPendingBlocks: 64 },
      { proofSystem: 'noir-tree-honk-development-srs' },
    );
    await stakeSequencers(f, [f.wallets[SEQUENCER]!]);
    await depositToEscrow(f.wallets[PROVER]!, f.deployment.escrow, parseEther('5'));
  }, 30 * MINUTES);

  afterAll(async () => {
    await harness?.close();
    await f?.chain.stop();
  });

  it('deploys the committed root verifier, built from these circuits for this SRS', async () => {
    const committed = readFileSync(
      join(import.meta.dirname, '../../contracts/src/verifier/noirTree', `${rootVerifierContractName(setup.circuits.srs)}.sol`),
      'utf8',
    );
    expect(committed, 'the committed root verifier is stale: run `npm run build:circuits`').toBe(setup.circuits.rootVerifierSolidity);
    const read = { address: f.deployment.verifier, abi: noirTreeRootVerifierAbi } as const;
    expect(await f.publicClient.readContract({ ...read, functionName: 'rootVkHash' })).toBe(setup.circuits.root.vkHash);
    expect(await f.publicClient.readContract({ ...read, functionName: 'setup' })).toMatch(/^DEVELOPMENT SRS/);
    expect(f.deployment.proofSystemVersion).toBe(PROOF_SYSTEMS['noir-tree-honk-development-srs'].version);
  });

  it('proves a 2-tx block through the orchestrator; L1 verifies the root; a tampered tx proof is caught and proven again', async () => {
    const prover = f.wallets[PROVER]!;
    const request = await revealCommittedBlock(f, { slot: 1n, txs: 2, sequencer: f.wallets[SEQUENCER]!, prover, seed: 'noir-tree e2e' });
    blockNumber = request.blockNumber;
    beforeSubmission = await f.testClient.snapshot();

    backend = tamperingOnce(
      createBarretenbergProver({ circuits: setup.circuits, bbBinary: setup.bbBinary, timeoutMs: 30 * MINUTES }),
      '/tx/1',
    );
    const chain = f.rollupChain(prover);
    harness = embeddedHarness({
      backend: () => backend,
      rollupChain: chain,
      profile: 'noir-tree',
      proverKey: f.chain.accounts[PROVER]!,
      timeScale: 1,
      agents: { heavy: 1, light: 2 },
    });
    await harness.driver.start(request);
    const run = await harness.waitForRun(request.runId, (r) => r.state === 'settled' || r.state === 'abandoned', 25 * MINUTES);

    expect({ state: run.state, reason: run.stateReason }, harness.warnings.join('\n')).toEqual({ state: 'settled', reason: '' });
    expect(run).toMatchObject({ profile: 'noir-tree', txCount: 2, jobCount: 3 });
    expect(await chain.blockState(blockNumber)).toMatchObject({ status: 'proven', provenBy: prover.account.address, stateRoot: run.newStateRoot });
    expect((await f.publicClient.getTransactionReceipt({ hash: run.l1TxHash as Hex })).status).toBe('success');
    // The tampered tx proof passed its own digest check (it was stored tampered) but not the root's verification of it.
    expect(backend.tampered).toEqual([`${request.runId}/tx/1`]);
    const returned = harness.events.filter((event) => event.type === 'returned' && event.jobId === `${request.runId}/root`);
    expect(returned.map((event) => event.type === 'returned' && event.why)).toEqual([expect.stringContaining(`${request.runId}/tx/1: child proof 1 does not verify`)]);
    const txOne = harness.events.filter((event) => event.type === 'proved' && event.jobId === `${request.runId}/tx/1`);
    expect(txOne).toHaveLength(2);
  }, 30 * MINUTES);

  it("rejects the root proof when another prover submits it as its own, and accepts it for the prover it names", async () => {
    const run = (await harness!.store.getRun(runIdFor(blockNumber, (await f.rollupChain(f.wallets[PROVER]!).blockState(blockNumber)).bodyHash)))!;
    const proof = bytesToHex(await harness!.artifacts.get(run.rootDigest));
    await f.testClient.revert({ id: beforeSubmission });
    const thief = f.rollupChain(f.wallets[THIEF]!);
    const block = await thief.blockState(blockNumber);
    await f.advanceTo(block.exclusiveUntil);
    const inputs = {
      blockNumber,
      proverId: run.proverId,
      bodyHash: run.bodyHash,
      parentStateRoot: run.parentStateRoot,
      newStateRoot: run.newStateRoot,
    };
    const stolen = { ...inputs, proverId: f.wallets[THIEF]!.account.address };
    const read = { address: f.deployment.verifier, abi: noirTreeRootVerifierAbi, functionName: 'verify' } as const;
    expect(await f.publicClient.readContract({ ...read, args: [encodeRootPublicInputs(inputs), proof] })).toBe(true);
    expect(await f.publicClient.readContract({ ...read, args: [encodeRootPublicInputs(stolen), proof] })).toBe(false);
    await expectRevert(
      thief.submitProof({ publicInputs: stolen, proof, deadline: block.provingDeadline }),
      'ProofRejected',
      [blockNumber, f.deployment.proofSystemVersion, f.deployment.verifier],
    );
    // Anyone may carry the proof to L1; the prover it names is the one credited.
    await confirmTransaction(f.publicClient, 'submitProof', thief.submitProof({ publicInputs: inputs, proof, deadline: block.provingDeadline }));
    expect(await thief.blockState(blockNumber)).toMatchObject({ status: 'proven', provenBy: run.proverId });
  }, 5 * MINUTES);
});
