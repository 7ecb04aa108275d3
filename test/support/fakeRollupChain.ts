import { keccak256, type Hex } from 'viem';
import type { L1Receipt, RollupBlockState, RollupChain, SubmitProofRequest } from '../../core/ports/l1.js';
import type { Address, Bytes32, ProtocolParameters, SignedQuote } from '../../core/protocol/types.js';

const ZERO_ADDRESS: Address = `0x${'0'.repeat(40)}`;
const ZERO_ROOT: Bytes32 = `0x${'0'.repeat(64)}`;

/** A test double of the rollup contract: blocks in memory, submissions recorded, time set by the test. */
export interface FakeRollupChain extends RollupChain {
  now: number;
  readonly submissions: SubmitProofRequest[];
  /** Receipts handed out by waitForReceipt, by tx hash (default: success). */
  readonly receipts: Map<Bytes32, L1Receipt['status']>;
  reveal(block: { blockNumber: bigint; body: Hex; parentBlock?: bigint; committedProver?: Address; exclusiveUntil?: number; provingDeadline?: number }): Bytes32;
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
  sequencerExitDelaySeconds: 600,
  minProverBond: 10n ** 17n,
  escrowWithdrawalDelaySeconds: 900,
  maxTxsPerBlock: 1024,
  blockReward: 10n ** 18n,
  feePerTx: 10n ** 15n,
  sequencerBps: 2_000,
  openRaceProverBps: 5_000,
  slashBurnBps: 5_000,
  randomnessLagSlots: 2,
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
      const proven = [...blocks.values()].filter((b) => b.status === 'proven').map((b) => b.blockNumber);
      return { proven: proven.reduce((a, b) => (a > b ? a : b), 0n), pending: BigInt(blocks.size - 1) };
    },
    async blockState(blockNumber) {
      maybeFail('blockState');
      return blocks.get(blockNumber) ?? state(blockNumber, { status: 'unknown' });
    },
    async revealedBody(blockNumber) {
      maybeFail('revealedBody');
      const body = bodies.get(blockNumber);
      if (!body) throw new Error(`block ${blockNumber} has no reveal`);
      return body;
    },
    async latestTimestamp() {
      maybeFail('latestTimestamp');
      return chain.now;
    },
    async submitProof(request) {
      maybeFail('submitProof');
      submissions.push(request);
      const txHash = keccak256(`0x${submissions.length.toString(16).padStart(2, '0')}`);
      const block = blocks.get(request.publicInputs.blockNumber)!;
      if ((receipts.get(txHash) ?? 'success') === 'success' && block.status === 'revealed') {
        blocks.set(block.blockNumber, { ...block, status: 'proven', provenBy: request.publicInputs.proverId, stateRoot: request.publicInputs.newStateRoot });
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
    reveal({ blockNumber, body, parentBlock, committedProver, exclusiveUntil, provingDeadline }) {
      const bodyHash = keccak256(body);
      bodies.set(blockNumber, body);
      blocks.set(
        blockNumber,
        state(blockNumber, {
          status: 'revealed',
          bodyHash,
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
  return chain;
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
    ...patch,
  };
}
