import { keccak256, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { ENCODED_TX_BYTES } from '../../core/body/encodeBlockBody.js';
import type { RollupChain, SubmitProofRequest } from '../../core/ports/l1.js';
import { devnetNextStateRoot } from '../../core/protocol/devnetStateTransition.js';
import type { Bytes32, ProtocolParameters, RootPublicInputs } from '../../core/protocol/types.js';
import { withFixture } from './withFixture.js';

export interface RollupChainFixture {
  /** The port under test; its account is the prover id the proofs are bound to. */
  readonly chain: RollupChain;
  /** The parameters the rollup was deployed with. */
  readonly parameters: ProtocolParameters;
  /**
   * Reveals a new block with nobody committed on top of the pending tip, then moves L1 time to where anyone may
   * prove it (the end of its commit phase).
   */
  revealBlock(): Promise<{ readonly blockNumber: bigint; readonly body: Hex }>;
  /** The proof the rollup's verifier accepts for these public inputs, made by the chain's account. */
  attest(publicInputs: RootPublicInputs): Promise<Hex>;
  /** Moves L1 time to `timestamp` (seconds). */
  advanceTo(timestamp: number): Promise<void>;
  close(): Promise<void>;
}

const ZERO_ROOT: Bytes32 = `0x${'0'.repeat(64)}`;
const OTHER_ROOT: Bytes32 = `0x${'5a'.repeat(32)}`;

/** The public inputs that prove `blockNumber` under the chain account's prover id (the devnet state transition). */
async function inputsFor(chain: RollupChain, blockNumber: bigint): Promise<RootPublicInputs> {
  const block = await chain.blockState(blockNumber);
  const parent = await chain.blockState(block.parentBlock);
  return {
    blockNumber,
    proverId: chain.account,
    bodyHash: block.bodyHash,
    parentStateRoot: parent.stateRoot,
    newStateRoot: devnetNextStateRoot(parent.stateRoot, block.bodyHash),
  };
}

async function proofRequest(fixture: RollupChainFixture, blockNumber: bigint, overrides: Partial<RootPublicInputs> = {}): Promise<SubmitProofRequest> {
  const publicInputs = { ...(await inputsFor(fixture.chain, blockNumber)), ...overrides };
  const { provingDeadline } = await fixture.chain.blockState(blockNumber);
  return { publicInputs, proof: await fixture.attest(publicInputs), deadline: provingDeadline };
}

/** Sends the proof and waits for one confirmation. */
async function land(chain: RollupChain, request: SubmitProofRequest) {
  return chain.waitForReceipt(await chain.submitProof(request), 1);
}

/**
 * The behaviour every RollupChain must have, as the orchestration relies on it: the viem chain (whatever signs for
 * it) and the test double the orchestration tests run against. A refused proof rejects with the contract's revert
 * reason in its message, and changes nothing. Each test gets a fresh fixture: a rollup with only its genesis block.
 */
export function describeRollupChainContract(name: string, open: () => Promise<RollupChainFixture>) {
  describe(`RollupChain contract: ${name}`, () => {
    const withChain = withFixture(open);

    it('reads the deployed parameters, the same on every call', withChain(async ({ chain, parameters }) => {
      expect(await chain.parameters()).toEqual(parameters);
      expect(await chain.parameters()).toEqual(parameters);
    }));

    it('starts at a proven genesis block; a block never revealed is unknown and has no body', withChain(async ({ chain }) => {
      const genesis = await chain.blockState(0n);
      expect(genesis.status).toBe('proven');
      expect(genesis.stateRoot).not.toBe(ZERO_ROOT);
      expect(await chain.tips()).toEqual({ proven: 0n, pending: 0n });
      expect(await chain.blockState(1n)).toMatchObject({ blockNumber: 1n, status: 'unknown', stateRoot: ZERO_ROOT });
      await expect(chain.revealedBody(1n)).rejects.toThrow(expect.objectContaining({ name: 'RevealNotFoundError', blockNumber: 1n }));
    }));

    it('reports a revealed block: its body, size, parent, deadlines, and the pending tip', withChain(async (fixture) => {
      const { chain, parameters } = fixture;
      const { blockNumber, body } = await fixture.revealBlock();
      const state = await chain.blockState(blockNumber);
      expect(state).toMatchObject({
        blockNumber,
        status: 'revealed',
        bodyHash: keccak256(body),
        txCount: (body.length - 2) / 2 / ENCODED_TX_BYTES,
        parentBlock: 0n,
        stateRoot: ZERO_ROOT,
        committedProver: `0x${'0'.repeat(40)}`,
        proofSystemVersion: 1,
      });
      expect(state.provingDeadline).toBeGreaterThan(state.revealedAt);
      expect(state.provingDeadline - state.revealedAt).toBeLessThanOrEqual(parameters.provingDeadlineSeconds + parameters.revealSeconds);
      expect(await chain.revealedBody(blockNumber)).toBe(body);
      expect(await chain.tips()).toEqual({ proven: 0n, pending: blockNumber });
      expect(await chain.latestTimestamp()).toBeGreaterThanOrEqual(state.revealedAt);
    }));

    it('lands a proof: a successful receipt, and the block proven under our prover id with its new state root', withChain(async (fixture) => {
      const { chain } = fixture;
      const { blockNumber } = await fixture.revealBlock();
      const request = await proofRequest(fixture, blockNumber);
      const receipt = await land(chain, request);
      expect(receipt.status).toBe('success');
      expect(receipt.blockNumber).toBeGreaterThan(0n);
      expect(receipt.gasUsed).toBeGreaterThan(21_000n);
      expect(await chain.blockState(blockNumber)).toMatchObject({
        status: 'proven',
        provenBy: chain.account,
        stateRoot: request.publicInputs.newStateRoot,
      });
      expect(await chain.tips()).toEqual({ proven: blockNumber, pending: blockNumber });
    }));

    it('refuses a second proof of a proven block and keeps the first one', withChain(async (fixture) => {
      const { chain } = fixture;
      const { blockNumber } = await fixture.revealBlock();
      const first = await proofRequest(fixture, blockNumber);
      await land(chain, first);
      const second = await proofRequest(fixture, blockNumber, { newStateRoot: OTHER_ROOT });
      await expect(chain.submitProof(second)).rejects.toThrow(/BlockAlreadyProven/);
      expect((await chain.blockState(blockNumber)).stateRoot).toBe(first.publicInputs.newStateRoot);
    }));

    it('refuses a proof whose public inputs do not match the block or its parent', withChain(async (fixture) => {
      const { chain } = fixture;
      const { blockNumber } = await fixture.revealBlock();
      await expect(chain.submitProof(await proofRequest(fixture, blockNumber, { bodyHash: OTHER_ROOT }))).rejects.toThrow(
        /PublicInputsBodyHashMismatch/,
      );
      await expect(chain.submitProof(await proofRequest(fixture, blockNumber, { parentStateRoot: OTHER_ROOT }))).rejects.toThrow(
        /ParentStateRootMismatch/,
      );
      expect((await chain.blockState(blockNumber)).status).toBe('revealed');
    }));

    it('refuses a proof of a block whose parent is unproven, and takes it once the parent is', withChain(async (fixture) => {
      const { chain } = fixture;
      const parent = await fixture.revealBlock();
      const child = await fixture.revealBlock();
      expect((await chain.blockState(child.blockNumber)).parentBlock).toBe(parent.blockNumber);
      await expect(chain.submitProof(await proofRequest(fixture, child.blockNumber))).rejects.toThrow(/ParentNotProven/);
      await land(chain, await proofRequest(fixture, parent.blockNumber));
      expect((await land(chain, await proofRequest(fixture, child.blockNumber))).status).toBe('success');
      expect(await chain.tips()).toEqual({ proven: child.blockNumber, pending: child.blockNumber });
    }));

    it('restarts a child’s deadline from its parent’s proof when the parent is proven after the child’s reveal phase (H1)', withChain(async (fixture) => {
      const { chain, parameters } = fixture;
      const parent = await fixture.revealBlock();
      const child = await fixture.revealBlock();
      const before = await chain.blockState(child.blockNumber);
      await land(chain, await proofRequest(fixture, parent.blockNumber));
      const provenAt = await chain.latestTimestamp();
      const after = await chain.blockState(child.blockNumber);
      expect(after.provingDeadline).toBe(provenAt + parameters.provingDeadlineSeconds);
      expect(after.provingDeadline).toBeGreaterThan(before.provingDeadline);
      // Nobody committed to the child: its open race is not held back.
      expect(after.exclusiveUntil).toBe(before.exclusiveUntil);
    }));

    it('sends nothing once the deadline it is given has passed', withChain(async (fixture) => {
      const { chain } = fixture;
      const { blockNumber } = await fixture.revealBlock();
      const request = await proofRequest(fixture, blockNumber);
      await fixture.advanceTo(request.deadline + 1);
      expect(await chain.latestTimestamp()).toBeGreaterThan(request.deadline);
      await expect(chain.submitProof(request)).rejects.toThrow(
        expect.objectContaining({ name: 'ProofDeadlinePassedError', blockNumber, deadline: request.deadline }),
      );
      expect((await chain.blockState(blockNumber)).status).toBe('revealed');
    }));
  });
}
