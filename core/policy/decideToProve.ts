import type { ProveReason } from '../ports/provingRun.js';
import { checkFleetCapacity, type FleetCommitments, type FleetQuota } from '../quote/fleetCapacity.js';
import type { CriticalPathShape } from '../scale/workWindow.js';
import type { Tier } from '../tiers.js';
import { blockRewardWei, slotSchedule } from '../protocol/slotSchedule.js';
import type { Address, ProtocolParameters } from '../protocol/types.js';
import type { TrackedBlock } from './trackedBlock.js';

/**
 * Which blocks a firm proves: `committed` only those it is the committed prover of; `open-race` also any block whose
 * exclusive window passed without a proof (or that nobody committed to), when the expected reward beats the cost;
 * `prove-all` every revealed block.
 */
export type ProvingMode = 'committed' | 'open-race' | 'prove-all';

export interface ProvePolicy {
  readonly mode: ProvingMode;
  readonly proverId: Address;
  /** Expected wall seconds from starting a run to a submittable root for a block of this size. */
  readonly estimateSeconds: (txCount: number) => number;
  /** Expected compute cost in wei for a block of this size. */
  readonly estimateCostWei: (txCount: number) => bigint;
  /** Start an open-race run this long before the exclusive window ends, to be ready when it does. */
  readonly raceLeadSeconds: number;
  /**
   * The fleet a block we are not committed to must fit in, on top of the blocks already committed (see
   * `checkFleetCapacity`); without it, open-race and prove-all blocks are taken whatever the fleet holds.
   */
  readonly fleet?: {
    readonly quota: FleetQuota;
    /** Expected job-seconds per tier (wall seconds) for a block of this size. */
    readonly workSeconds: (txCount: number) => Readonly<Record<Tier, number>>;
    /** Where each tier's work sits on the critical path (wall seconds) for a block of this size. */
    readonly shape: (txCount: number) => CriticalPathShape;
    /** Seconds before new agents prove. */
    readonly provisioningSeconds: number;
  };
}

export type ProveDecision =
  | { readonly prove: true; readonly reason: ProveReason }
  | { readonly prove: false; readonly why: string; readonly final: boolean };

const ZERO_ADDRESS = `0x${'0'.repeat(40)}`;

/** What the fleet holds when a block is decided: the committed blocks' remaining work and the agents up now. */
export type FleetState = Omit<FleetCommitments, 'quota'>;

/**
 * Decides, at L1 time `now`, whether to start proving a tracked block. `final: false` means "ask again later". A block
 * we committed to is always proven; any other only if the fleet can take it on top of `fleet.committed` (the live
 * runs' remaining work), so it never takes capacity a committed block needs.
 */
export function decideToProve(
  block: TrackedBlock,
  parameters: ProtocolParameters,
  policy: ProvePolicy,
  now: number,
  fleet: FleetState = { committed: [] },
): ProveDecision {
  if (block.status !== 'revealed') return { prove: false, why: `block is ${block.status}`, final: true };
  if (now >= block.provingDeadline) return { prove: false, why: 'past its proving deadline', final: true };
  const times = slotSchedule(parameters, block.slot);
  if (now < times.commitStart) return { prove: false, why: 'the reveal phase is still open', final: false };

  const ours = block.committedProver.toLowerCase() === policy.proverId.toLowerCase();
  if (ours) return { prove: true, reason: 'committed' };
  if (policy.mode === 'prove-all') return fleetAllows(block, policy, now, fleet) ?? { prove: true, reason: 'prove-all' };
  if (policy.mode === 'committed') {
    return block.committedProver === ZERO_ADDRESS && now < times.commitEnd
      ? { prove: false, why: 'the commit phase is still open', final: false }
      : { prove: false, why: 'not our commitment', final: true };
  }

  const opensAt = block.committedProver === ZERO_ADDRESS ? times.commitEnd : block.exclusiveUntil;
  if (now < opensAt - policy.raceLeadSeconds) return { prove: false, why: 'the exclusive window is open', final: false };
  if (now + policy.estimateSeconds(block.txCount) > block.provingDeadline) {
    return { prove: false, why: 'too little time left to prove it', final: true };
  }
  // The open-race share is all a racer earns: a missed commitment's bond is burnt, never paid to whoever proves.
  const reward = (blockRewardWei(parameters, block.txCount) * BigInt(parameters.openRaceProverBps)) / 10_000n;
  const cost = policy.estimateCostWei(block.txCount);
  if (reward <= cost) {
    return { prove: false, why: `open-race reward ${reward} wei does not cover the cost ${cost} wei`, final: true };
  }
  return fleetAllows(block, policy, now, fleet) ?? { prove: true, reason: 'open-race' };
}

/** Null when the fleet can take the block (or the policy has no fleet to check); else why not, to ask again later. */
function fleetAllows(block: TrackedBlock, policy: ProvePolicy, now: number, fleet: FleetState): ProveDecision | null {
  if (!policy.fleet) return null;
  const candidate = {
    key: `block ${block.blockNumber}`,
    startsAt: now + policy.fleet.provisioningSeconds,
    deadline: block.provingDeadline,
    workSeconds: policy.fleet.workSeconds(block.txCount),
    shape: policy.fleet.shape(block.txCount),
  };
  const verdict = checkFleetCapacity(candidate, { ...fleet, quota: policy.fleet.quota }, now);
  return verdict.fits ? null : { prove: false, why: `the fleet cannot take it: ${verdict.refusal.message}`, final: false };
}
