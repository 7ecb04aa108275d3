import { hexToBytes, keccak256, parseEventLogs, type Address, type Hex } from 'viem';
import { rollupAbi } from '../../contracts/artifacts/rollup.js';
import { findMalformation } from '../../core/body/findMalformation.js';
import { parsePublicCallSpec } from '../../core/body/publicCallSpec.js';
import type { ProtocolParameters } from '../../core/protocol/types.js';
import { fromContractParameters } from '../rollup/parametersCodec.js';
import { readRevealedBody } from '../rollup/readRevealedBody.js';
import { slotAt, slotSchedule, type SlotSchedule } from '../../core/protocol/slotSchedule.js';
import type { L1PublicClient, L1WalletClient } from '../transactions/l1Clients.js';
import { commitCheapestQuote } from './commitCheapestQuote.js';
import { describeError } from './describeError.js';
import { proposeBlock, pruneMalformedBlock, pruneRollup, registerSequencer, revealBlock } from './sequencerActions.js';
import { bodyCounts, simulatedBody } from './simulatedBody.js';
import { stderrSimulatorLog, type SimulatorLog } from './simulatorLog.js';
import { waitForChainTime } from './waitForChainTime.js';

export interface CreateSequencerSimulatorParameters {
  readonly publicClient: L1PublicClient;
  /** Every sequencer stakes, and proposes in every slot. */
  readonly sequencers: readonly L1WalletClient[];
  readonly rollup: Address;
  /** Txs in each proposed body. */
  readonly txsPerBlock: number;
  /** Public calls per tx: a count, or a distribution such as `0:0.5,1:0.3,4:0.2`. @default '1' */
  readonly publicCalls?: string;
  /** Base URLs of prover quote services; the slot's winner POSTs `{endpoint}/quote` to each. */
  readonly quoteEndpoints: readonly string[];
  /** Replaces the body a sequencer proposes in a slot (e.g. malformed or oversized); undefined keeps the synthetic one. */
  readonly bodyFor?: (slot: bigint, sequencer: Address) => Hex | undefined;
  /** Whether a sequencer reveals its proposal in a slot. @default every sequencer reveals */
  readonly reveals?: (slot: bigint, sequencer: Address) => boolean;
  /**
   * Sequencers do not build more than this many blocks ahead of the proven tip (a slot is skipped instead), as a
   * sequencer set that waits for proofs would; the devnet with real proofs, which take minutes, sets it.
   * @default unlimited
   */
  readonly maxUnprovenBlocks?: number;
  /** How long one quote request may take. @default 2000 */
  readonly quoteTimeoutMs?: number;
  /** How often the live loop reads L1 time while it waits for a phase. @default 250 */
  readonly pollIntervalMs?: number;
  /** @default JSON lines on stderr */
  readonly log?: SimulatorLog;
}

/** What one slot came to. */
export interface SlotReport {
  readonly slot: bigint;
  /** Set when the slot was skipped (its proposal phase was already over). */
  readonly skipped?: string;
  /** A block past its deadline was pruned before proposing. */
  readonly pruned: boolean;
  /** The pending tip's body was malformed: it was pruned at once (pruneMalformed) before proposing on it. */
  readonly prunedMalformed?: { readonly blockNumber: bigint; readonly reason: string };
  readonly proposals: readonly { readonly sequencer: Address; readonly bodyHash: Hex; readonly score: Hex }[];
  readonly revealed: readonly Address[];
  readonly block?: {
    readonly blockNumber: bigint;
    readonly sequencer: Address;
    readonly bodyHash: Hex;
    readonly txCount: number;
    readonly revealedAt: number;
    readonly provingDeadline: number;
  };
  readonly commitment?: { readonly endpoint: string; readonly proverId: Address; readonly feeBps: number; readonly bond: bigint };
  readonly quoteFailures: readonly { readonly endpoint: string; readonly reason: string }[];
}

export interface RunSlotOptions {
  /** Brings L1 time to a phase start: mines there (tests) or waits for the chain's clock (live). */
  readonly advanceTo: (timestamp: number) => Promise<void>;
}

export interface SequencerSimulator {
  /**
   * Tops each sequencer's stake up to what a full pending chain of its blocks needs (maxPendingBlocks block bonds, at
   * least the minimum stake); a forfeited block bond is replaced the same way.
   */
  registerSequencers(): Promise<void>;
  /** One slot: top up stakes, prune if due, prune a malformed pending tip, every sequencer proposes on the tip (naming
   *  its body), the chosen ones reveal (lowest score first, so each higher reveal replaces the last), then the winner
   *  asks for quotes and commits the cheapest valid one. */
  runSlot(slot: bigint, options: RunSlotOptions): Promise<SlotReport>;
  /** Runs slot after slot on the chain's own clock (the devnet). */
  start(): void;
  /** Stops the live loop and resolves once it has finished. */
  stop(): Promise<void>;
}

interface Proposal {
  readonly sequencer: L1WalletClient;
  readonly body: Hex;
  readonly bodyHash: Hex;
  readonly score: Hex;
}

/** Simulates Fernet sequencers against the rollup: the devnet's and the tests' source of blocks. */
export function createSequencerSimulator(options: CreateSequencerSimulatorParameters): SequencerSimulator {
  const { publicClient, sequencers, rollup } = options;
  const log = options.log ?? stderrSimulatorLog;
  const publicCalls = parsePublicCallSpec(options.publicCalls ?? '1');
  const read = { address: rollup, abi: rollupAbi } as const;
  let parametersRead: Promise<ProtocolParameters> | undefined;
  const protocol = () => (parametersRead ??= publicClient.readContract({ ...read, functionName: 'parameters' }).then(fromContractParameters));
  const chainTime = async () => Number((await publicClient.getBlock({ blockTag: 'latest' })).timestamp);
  const pendingTip = async () => (await publicClient.readContract({ ...read, functionName: 'tips' }))[1];

  /** Runs one step; a failure is logged and yields undefined, so it never stops the other sequencers or the loop. */
  const attempt = async <T>(event: string, slot: bigint, details: object, step: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await step();
    } catch (error) {
      log({ level: 'warn', event, slot, ...details, error: describeError(error) });
      return undefined;
    }
  };

  const pruneIfDue = async (slot: bigint): Promise<boolean> => {
    if (!(await publicClient.readContract({ ...read, functionName: 'isPruneDue' }))) return false;
    const pruned = await attempt('prune failed', slot, {}, () => pruneRollup(sequencers[0]!, rollup));
    return pruned !== undefined;
  };

  // A sequencer builds only on a parent it can stand behind: a provably malformed tip is pruned first (its own block
  // would otherwise be pruned with it). Bodies already checked are remembered by hash.
  const wellFormed = new Set<Hex>();
  const pruneMalformedTip = async (slot: bigint): Promise<SlotReport['prunedMalformed']> => {
    const [proven, pending] = await publicClient.readContract({ ...read, functionName: 'tips' });
    if (pending === proven) return undefined;
    const { bodyHash } = await publicClient.readContract({ ...read, functionName: 'blockState', args: [pending] });
    if (wellFormed.has(bodyHash)) return undefined;
    const body = await readRevealedBody(publicClient, rollup, pending);
    const malformation = findMalformation(hexToBytes(body));
    if (!malformation) {
      wellFormed.add(bodyHash);
      return undefined;
    }
    const { txIndex, otherTxIndex, reason } = malformation;
    const pruned = await attempt('pruneMalformed failed', slot, { blockNumber: pending }, () =>
      pruneMalformedBlock(sequencers[0]!, rollup, { blockNumber: pending, body, txIndex, otherTxIndex }),
    );
    if (!pruned) return undefined;
    log({ level: 'info', event: 'pruned a malformed block', slot, blockNumber: pending, reason });
    return { blockNumber: pending, reason };
  };

  const propose = async (slot: bigint): Promise<Proposal[]> => {
    const parentBlock = await pendingTip();
    const { bodyHash: parentBodyHash } = await publicClient.readContract({ ...read, functionName: 'blockState', args: [parentBlock] });
    const proposals = await Promise.all(
      sequencers.map((sequencer) =>
        attempt('propose failed', slot, { sequencer: sequencer.account.address }, async () => {
          const body = options.bodyFor?.(slot, sequencer.account.address) ?? simulatedBody(slot, sequencer.account.address, options.txsPerBlock, publicCalls);
          const bodyHash = keccak256(body);
          const receipt = await proposeBlock(sequencer, rollup, { slot, parentBlock, parentBodyHash, bodyHash });
          const [proposed] = parseEventLogs({ abi: rollupAbi, logs: receipt.logs, eventName: 'BlockProposed' });
          return { sequencer, body, bodyHash, score: proposed!.args.score };
        }),
      ),
    );
    return proposals.filter((proposal) => proposal !== undefined);
  };

  const reveal = async (slot: bigint, proposals: readonly Proposal[]): Promise<Address[]> => {
    const revealing = proposals
      .filter((proposal) => options.reveals?.(slot, proposal.sequencer.account.address) ?? true)
      .sort((a, b) => (BigInt(a.score) < BigInt(b.score) ? -1 : 1));
    const revealed: Address[] = [];
    for (const { sequencer, body } of revealing) {
      const address = sequencer.account.address;
      if (await attempt('reveal failed', slot, { sequencer: address }, () => revealBlock(sequencer, rollup, slot, body))) revealed.push(address);
    }
    return revealed;
  };

  /** Quotes and commitment; quote failures are logged, a failed commitment too. */
  const commit = async (slot: bigint, times: SlotSchedule, block: NonNullable<SlotReport['block']>, winner: Proposal) => {
    if (bodyCounts(winner.body).txCount === 0) {
      log({ level: 'warn', event: 'no quotes asked: the body carries no txs', slot, blockNumber: block.blockNumber });
      return { quoteFailures: [] };
    }
    const outcome = await attempt('commitProver failed', slot, { blockNumber: block.blockNumber }, async () =>
      commitCheapestQuote({
        publicClient,
        rollup,
        parameters: await protocol(),
        sequencer: winner.sequencer,
        slot,
        block,
        body: winner.body,
        commitEnd: times.commitEnd,
        quoteEndpoints: options.quoteEndpoints,
        quoteTimeoutMs: options.quoteTimeoutMs ?? 2000,
      }),
    );
    const quoteFailures = outcome?.failures ?? [];
    for (const failure of quoteFailures) log({ level: 'warn', event: 'quote not usable', slot, ...failure });
    if (!outcome?.commitment) return { quoteFailures };
    const { endpoint, quote } = outcome.commitment;
    return { quoteFailures, commitment: { endpoint, proverId: quote.proverId, feeBps: quote.feeBps, bond: quote.bond } };
  };

  const runSlot = async (slot: bigint, { advanceTo }: RunSlotOptions): Promise<SlotReport> => {
    const times = slotSchedule(await protocol(), slot);
    await advanceTo(times.start);
    if ((await chainTime()) >= times.revealStart) {
      return { slot, skipped: 'its proposal phase was over', pruned: false, proposals: [], revealed: [], quoteFailures: [] };
    }
    await registerSequencers();
    const pruned = await pruneIfDue(slot);
    const prunedMalformed = await pruneMalformedTip(slot);
    if (options.maxUnprovenBlocks !== undefined) {
      const [provenTip, pending] = await publicClient.readContract({ ...read, functionName: 'tips' });
      if (pending - provenTip >= BigInt(options.maxUnprovenBlocks)) {
        return {
          slot,
          skipped: `${pending - provenTip} blocks await their proofs`,
          pruned,
          ...(prunedMalformed ? { prunedMalformed } : {}),
          proposals: [],
          revealed: [],
          quoteFailures: [],
        };
      }
    }
    const proposals = await propose(slot);
    await advanceTo(times.revealStart);
    const revealed = await reveal(slot, proposals);
    await advanceTo(times.commitStart);

    const report = {
      slot,
      pruned,
      ...(prunedMalformed ? { prunedMalformed } : {}),
      proposals: proposals.map(({ sequencer, bodyHash, score }) => ({ sequencer: sequencer.account.address, bodyHash, score })),
      revealed,
    };
    const tip = await pendingTip();
    const state = await publicClient.readContract({ ...read, functionName: 'blockState', args: [tip] });
    const winner = proposals.find((proposal) => proposal.sequencer.account.address === state.sequencer);
    if (state.status !== 1 || state.slot !== slot || !winner) return { ...report, quoteFailures: [] };
    const block = {
      blockNumber: tip,
      sequencer: state.sequencer,
      bodyHash: state.bodyHash,
      txCount: state.txCount,
      revealedAt: Number(state.revealedAt),
      provingDeadline: Number(state.provingDeadline),
    };
    return { ...report, block, ...(await commit(slot, times, block, winner)) };
  };

  const registerSequencers = async () => {
    const { minSequencerStake, sequencerBlockBond, maxPendingBlocks } = await protocol();
    const backing = sequencerBlockBond * BigInt(maxPendingBlocks);
    const target = backing > minSequencerStake ? backing : minSequencerStake;
    for (const sequencer of sequencers) {
      const address = sequencer.account.address;
      const stake = await publicClient.readContract({ ...read, functionName: 'sequencerStake', args: [address] });
      if (stake.exitableAt !== 0n || stake.amount >= target) continue;
      await attempt('registerSequencer failed', 0n, { sequencer: address }, () => registerSequencer(sequencer, rollup, target - stake.amount));
    }
  };

  let loop: Promise<void> | undefined;
  let stopping: AbortController | undefined;

  return {
    registerSequencers,
    runSlot,
    start() {
      if (loop) return;
      const controller = new AbortController();
      stopping = controller;
      const advanceTo = (timestamp: number) => waitForChainTime(publicClient, timestamp, controller.signal, options.pollIntervalMs ?? 250);
      const run = async () => {
        await registerSequencers();
        let slot = slotAt(await protocol(), await chainTime()) + 1n;
        while (!controller.signal.aborted) {
          try {
            const report = await runSlot(slot, { advanceTo });
            log({ level: 'info', event: 'slot done', slot, block: report.block, commitment: report.commitment, skipped: report.skipped });
          } catch (error) {
            if (!controller.signal.aborted) log({ level: 'warn', event: 'slot failed', slot, error: describeError(error) });
          }
          const current = slotAt(await protocol(), await chainTime());
          slot = current > slot ? current : slot + 1n;
        }
      };
      loop = run().catch((error: unknown) => {
        if (!controller.signal.aborted) log({ level: 'warn', event: 'simulator stopped by an error', error: describeError(error) });
      });
    },
    async stop() {
      stopping?.abort();
      await loop;
      loop = undefined;
    },
  };
}
