import { requiredProverBond } from './bonds.js';
import { blockRewardWei } from './slotSchedule.js';
import type { ProtocolParameters } from './types.js';

const WHOLE_BPS = 10_000n;

/** What the protocol pays each actor of one block, in wei, on the honest path and on each way to deviate from it. */
export interface BlockPayoffs {
  readonly txCount: number;
  /** blockReward + feePerTx × txCount (the reward pool assumed funded). */
  readonly rewardWei: bigint;
  /** The smallest bond a commitment to this block may carry (what a committed prover risks, at least). */
  readonly proverBondWei: bigint;
  /** Compute the prover spends proving the block, on any path that proves it. */
  readonly costWei: bigint;
  /** The committed prover; null when the quoted fee would not fit the prover's share (nobody commits). */
  readonly committedProver: {
    readonly feeBps: number;
    /** Proves inside its window: the quoted fee, bond back. */
    readonly honest: bigint;
    /** Proves after its window, under its own or any other id: the open-race share, bond burnt. */
    readonly proveLate: bigint;
    /** Never proves: bond burnt, no compute spent. */
    readonly withhold: bigint;
    /**
     * Committed to the parent, proves it only after the child's window as first set, to take the child under a second
     * id: its own block is late, and the child's window restarts from that proof, so the child is never its to take.
     */
    readonly delayParent: bigint;
  } | null;
  readonly sequencer: {
    /** Reveals a well-formed body that gets proven: the sequencer's share. */
    readonly honest: bigint;
    /** Reveals a body no proof can exist for: pruned (at once or at its deadline), block bond burnt. */
    readonly revealMalformed: bigint;
    /** Proposes and never reveals: the slot passes to another proposal. */
    readonly withhold: bigint;
  };
  /** A prover with no commitment that proves the block in the open race (the protocol's recovery path). */
  readonly openRaceProver: { readonly honest: bigint };
}

/** A deviation's payoff minus the honest one: positive means the deviation pays more (the protocol is broken). */
export interface DeviationAdvantage {
  readonly actor: 'committedProver' | 'sequencer';
  readonly deviation: 'proveLate' | 'withhold' | 'delayParent' | 'revealMalformed';
  /** The largest advantage over every block size, and the smallest size where it is reached. */
  readonly maxAdvantageWei: bigint;
  readonly atTxCount: number;
}

/**
 * The payoffs of one block of `txCount` txs under `parameters`, for a committed prover that quoted `feeBps` (null: no
 * commitment) and spends `costWei` proving. The rules are the contract's: rewards split at proof, a missed window
 * burns the bond whole (nobody is paid from it), a pruned block burns its sequencer's block bond.
 */
export function blockPayoffs(
  parameters: ProtocolParameters,
  txCount: number,
  quote: { readonly feeBps: number | null; readonly costWei: bigint },
): BlockPayoffs {
  const rewardWei = blockRewardWei(parameters, txCount);
  const share = (bps: number | bigint) => (rewardWei * BigInt(bps)) / WHOLE_BPS;
  const proverBondWei = requiredProverBond(parameters, txCount);
  const { costWei, feeBps } = quote;
  const late = share(parameters.openRaceProverBps) - proverBondWei - costWei;
  return {
    txCount,
    rewardWei,
    proverBondWei,
    costWei,
    committedProver:
      feeBps === null
        ? null
        : { feeBps, honest: share(feeBps) - costWei, proveLate: late, withhold: -proverBondWei, delayParent: late },
    sequencer: { honest: share(parameters.sequencerBps), revealMalformed: -parameters.sequencerBlockBond, withhold: 0n },
    openRaceProver: { honest: share(parameters.openRaceProverBps) - costWei },
  };
}

/**
 * The largest advantage of each deviation over honesty at every block size from 1 to maxTxsPerBlock, in the case
 * most favourable to deviating that a firm's quote allows: a fee of zero for the late paths (the lower the fee, the
 * more the open race pays by comparison), and a fee that just covers the compute for withholding (a quote never
 * prices below cost). Both are free of the compute cost itself, so every size is checked without planning it.
 */
export function worstDeviationAdvantages(parameters: ProtocolParameters): DeviationAdvantage[] {
  const worst = new Map<string, DeviationAdvantage>();
  const record = (actor: DeviationAdvantage['actor'], deviation: DeviationAdvantage['deviation'], advantage: bigint, txCount: number) => {
    const key = `${actor}.${deviation}`;
    const current = worst.get(key);
    if (!current || advantage > current.maxAdvantageWei) worst.set(key, { actor, deviation, maxAdvantageWei: advantage, atTxCount: txCount });
  };
  for (let txCount = 1; txCount <= parameters.maxTxsPerBlock; txCount++) {
    const late = blockPayoffs(parameters, txCount, { feeBps: 0, costWei: 0n }).committedProver!;
    record('committedProver', 'proveLate', late.proveLate - late.honest, txCount);
    record('committedProver', 'delayParent', late.delayParent - late.honest, txCount);
    // Honest at a fee that exactly covers the cost nets zero; withholding saves the cost and loses the bond.
    record('committedProver', 'withhold', -requiredProverBond(parameters, txCount), txCount);
    const sequencer = blockPayoffs(parameters, txCount, { feeBps: null, costWei: 0n }).sequencer;
    record('sequencer', 'revealMalformed', sequencer.revealMalformed - sequencer.honest, txCount);
    record('sequencer', 'withhold', sequencer.withhold - sequencer.honest, txCount);
  }
  return [...worst.values()];
}
