import { keccak256, type Hex } from 'viem';
import { ENCODED_TX_BYTES } from '../../core/body/encodeBlockBody.js';
import type { L1Receipt, RollupBlockState, RollupChain, SubmitProofRequest } from '../../core/ports/l1.js';
import { slotSchedule } from '../../core/protocol/slotSchedule.js';
import type { Address, Bytes32, ProtocolParameters, RootPublicInputs, SignedQuote } from '../../core/protocol/types.js';
import { ProofDeadlinePassedError, RevealNotFoundError } from '../../l1/errors/l1Errors.js';

const ZERO_ADDRESS: Address = `0x${'0'.repeat(40)}`;
const ZERO_ROOT: Bytes32 = `0x${'0'.repeat(64)}`;

/**
 * A test double of the rollup contract: blocks in memory, submissions recorded, time set by the test. It passes the
 * RollupChain contract suite: a proof is checked as the contract checks it (and refused with the contract's revert
 * reason), except that any proof bytes verify; a proof restarts the child's clock as the contract does.
 */
export interface FakeRollupChain extends RollupChain {
  now: number;
  readonly submissions: SubmitProofRequest[];
  /** Receipts handed out by waitForReceipt, by tx hash (default: success). */
  readonly receipts: Map<Bytes32, L1Receipt['status']>;
  /** Reveals a body; the slot defaults to the block number, the deadline to one proving deadline from now. */
  reveal(block: {
    blockNumber: bigint;
    body: Hex;
    slot?: bigint;
    parentBlock?: bigint;
    committedProver?: Address;
    exclusiveUntil?: number;
    provingDeadline?: number;
  }): Bytes32;
  setState(blockNumber: bigint, patch: Partial<RollupBlockState>): void;
  /** Calls that throw once, to exercise retries (e.g. `submitProof`). */
  readonly failNext: Set<keyof RollupChain>;
  /** How many times each method was called. */
  readonly calls: Map<keyof RollupChain, number>;
}

export const FAKE_PARAMETERS: ProtocolParameters = {
  genesisTime: 1_700_000_000,
  slotSeconds: 12,
  proposalSeconds: 4,
  revealSeconds: 4,
  commitSeconds: 4,
  exclusiveWindowSeconds: 60,
  provingDeadlineSeconds: 300,
  minSequencerStake: 10n ** 18n,
  sequencerBlockBond: 10n ** 17n,
  sequencerExitDelaySeconds: 600,
  escrowWithdrawalDelaySeconds: 900,
  maxTxsPerBlock: 1024,
  maxPendingBlocks: 64,
  sequencerBps: 2_000,
  openRaceProverBps: 5_000,
  randomnessLagSlots: 2,
  minProverBond: 6n * 10n ** 17n,
  proverBondPerTx: 5n * 10n ** 14n,
  blockReward: 10n ** 18n,
  feePerTx: 10n ** 15n,
};

export function fakeRollupChain(proverAccount: Address, parameters: ProtocolParameters = FAKE_PARAMETERS): FakeRollupChain {
  const blocks = new Map<bigint, RollupBlockState>();
  const bodies = new Map<bigint, Hex>();
  const submissions: SubmitProofRequest[] = [];
  const receipts = new Map<Bytes32, L1Receipt['status']>();
  const failNext = new Set<keyof RollupChain>();
  blocks.set(0n, state(0n, { status: 'proven', stateRoot: keccak256('0x01') }));

  const calls = new Map<keyof RollupChain, number>();
  const maybeFail = (call: keyof RollupChain) => {
    calls.set(call, (calls.get(call) ?? 0) + 1);
    if (failNext.delete(call)) throw new Error(`injected RPC failure in ${call}`);
  };

  const chain: FakeRollupChain = {
    now: parameters.genesisTime + 100,
    submissions,
    receipts,
    failNext,
    calls,
    account: proverAccount,
    rollup: '0x00000000000000000000000000000000000000b1',
    chainId: 31337,
    async parameters() {
      maybeFail('parameters');
      return parameters;
    },
    async tips() {
      const highest = (statuses: readonly RollupBlockState['status'][]) =>
        [...blocks.values()].filter((b) => statuses.includes(b.status)).reduce((top, b) => (b.blockNumber > top ? b.blockNumber : top), 0n);
      return { proven: highest(['proven']), pending: highest(['proven', 'revealed']) };
    },
    async blockState(blockNumber) {
      maybeFail('blockState');
      return blocks.get(blockNumber) ?? state(blockNumber, { status: 'unknown' });
    },
    async revealedBody(blockNumber) {
      maybeFail('revealedBody');
      const body = bodies.get(blockNumber);
      if (!body) throw new RevealNotFoundError(blockNumber, 0n);
      return body;
    },
    async latestTimestamp() {
      maybeFail('latestTimestamp');
      return chain.now;
    },
    async submitProof(request) {
      maybeFail('submitProof');
      const { publicInputs } = request;
      if (chain.now > request.deadline) throw new ProofDeadlinePassedError(publicInputs.blockNumber, request.deadline, chain.now);
      const block = blocks.get(publicInputs.blockNumber) ?? state(publicInputs.blockNumber, {});
      const revert = revertReason(block, blocks.get(block.parentBlock), publicInputs, chain.now);
      if (revert) throw new Error(`The contract function "submitProof" reverted: ${revert}`);
      submissions.push(request);
      const txHash = keccak256(`0x${submissions.length.toString(16).padStart(2, '0')}`);
      if ((receipts.get(txHash) ?? 'success') === 'success') {
        blocks.set(block.blockNumber, { ...block, status: 'proven', provenBy: publicInputs.proverId, stateRoot: publicInputs.newStateRoot });
        restartChildClock(block.blockNumber + 1n);
      }
      return txHash;
    },
    async waitForReceipt(txHash) {
      maybeFail('waitForReceipt');
      return { txHash, status: receipts.get(txHash) ?? 'success', blockNumber: 1n, gasUsed: 100_000n };
    },
    async commitProver(_quote: SignedQuote) {
      return ZERO_ROOT;
    },
    reveal({ blockNumber, body, slot, parentBlock, committedProver, exclusiveUntil, provingDeadline }) {
      const bodyHash = keccak256(body);
      bodies.set(blockNumber, body);
      blocks.set(
        blockNumber,
        state(blockNumber, {
          status: 'revealed',
          slot: slot ?? blockNumber,
          bodyHash,
          txCount: (body.length - 2) / 2 / ENCODED_TX_BYTES,
          parentBlock: parentBlock ?? blockNumber - 1n,
          committedProver: committedProver ?? ZERO_ADDRESS,
          exclusiveUntil: exclusiveUntil ?? 0,
          provingDeadline: provingDeadline ?? chain.now + parameters.provingDeadlineSeconds,
          revealedAt: chain.now,
        }),
      );
      return bodyHash;
    },
    setState(blockNumber, patch) {
      blocks.set(blockNumber, { ...(blocks.get(blockNumber) ?? state(blockNumber, {})), ...patch });
    },
  };
  /** Rollup._restartChildClock: a child revealed before its parent's proof counts its window and deadline from it. */
  function restartChildClock(childNumber: bigint) {
    const child = blocks.get(childNumber);
    if (child?.status !== 'revealed' || chain.now <= slotSchedule(parameters, child.slot).commitStart) return;
    blocks.set(childNumber, {
      ...child,
      provingDeadline: chain.now + parameters.provingDeadlineSeconds,
      exclusiveUntil: child.committedProver === ZERO_ADDRESS ? child.exclusiveUntil : chain.now + parameters.exclusiveWindowSeconds,
    });
  }

  return chain;
}

/** Why Rollup.submitProof would revert (its checks, in its order), or null when it accepts the proof. */
function revertReason(block: RollupBlockState, parent: RollupBlockState | undefined, inputs: RootPublicInputs, now: number): string | null {
  const n = block.blockNumber;
  if (block.status === 'proven') return `BlockAlreadyProven(${n}, ${block.provenBy})`;
  if (block.status !== 'revealed') return `BlockNotRevealed(${n}, ${block.status})`;
  if (inputs.proverId === ZERO_ADDRESS) return 'ZeroProverId()';
  if (now > block.provingDeadline) return `ProvingDeadlinePassed(${n}, ${block.provingDeadline}, ${now})`;
  // Addresses are numbers on L1: a checksummed and a lowercase spelling are the same prover.
  if (now < block.exclusiveUntil && inputs.proverId.toLowerCase() !== block.committedProver.toLowerCase()) {
    return `ExclusiveWindow(${n}, ${block.committedProver}, ${block.exclusiveUntil}, ${inputs.proverId})`;
  }
  if (parent?.status !== 'proven') return `ParentNotProven(${n}, ${block.parentBlock})`;
  if (inputs.parentStateRoot !== parent.stateRoot) return `ParentStateRootMismatch(${parent.stateRoot}, ${inputs.parentStateRoot})`;
  if (inputs.bodyHash !== block.bodyHash) return `PublicInputsBodyHashMismatch(${block.bodyHash}, ${inputs.bodyHash})`;
  return null;
}

function state(blockNumber: bigint, patch: Partial<RollupBlockState>): RollupBlockState {
  return {
    blockNumber,
    status: 'unknown',
    slot: blockNumber,
    sequencer: ZERO_ADDRESS,
    bodyHash: ZERO_ROOT,
    txCount: 0,
    parentBlock: blockNumber === 0n ? 0n : blockNumber - 1n,
    stateRoot: ZERO_ROOT,
    revealedAt: 0,
    provingDeadline: 0,
    committedProver: ZERO_ADDRESS,
    exclusiveUntil: 0,
    provenBy: ZERO_ADDRESS,
    proofSystemVersion: 1,
    ...patch,
  };
}
