import { z } from 'zod';
import { parsePublicCallSpec } from '../core/body/publicCallSpec.js';
import { DEFAULT_COST_MODEL } from '../core/cost/costModel.js';
import { BlockTooLargeError, BlockTooSmallError } from '../core/errors/index.js';
import { getCircuitProfile } from '../core/profiles/getCircuitProfile.js';
import type { Tier } from '../core/tiers.js';

/** Everything `prover-burst dev` can be told; validated once at the edge. */
export const devnetOptionsSchema = z.object({
  /** Exit 0 after this many of our blocks are proven on L1; null runs until Ctrl-C. */
  blocks: z.number().int().min(1).nullable(),
  txs: z.number().int().min(1).max(61_440),
  publicCalls: z.string().min(1),
  profile: z.string().min(1),
  /**
   * `simulated`: digests after the expected duration × time scale, attested for the development verifier.
   * `barretenberg`: real noir-tree proofs (development SRS) that L1 verifies with the generated UltraHonk verifier.
   */
  prover: z.enum(['simulated', 'barretenberg']),
  /** Proofs take their profile's expected duration times this (the SIMULATED prover; real proofs take what they take); above 0: the scaler divides by it. */
  timeScale: z.number().positive().max(10),
  agents: z.object({ heavy: z.number().int().min(1).max(256), light: z.number().int().min(1).max(256) }),
  rivalAgents: z.object({ heavy: z.number().int().min(1).max(256), light: z.number().int().min(1).max(256) }),
  dataDir: z.string().min(1),
  json: z.boolean(),
  /** The L1 JSON-RPC port (0 picks a free one). */
  port: z.number().int().min(0).max(65_535),
  sequencers: z.number().int().min(1).max(8),
  /** L1 slot length; the phases, exclusive window and deadline scale with it (12 s: 4/4/4, 45 s, 120 s). */
  slotSeconds: z.number().int().min(3).max(120),
  /** Our largest acceptable block (bodies over it are refused). */
  maxTxs: z.number().int().min(1).max(61_440),
  /** Discard the data directory first (the only way anything in it is ever deleted). */
  fresh: z.boolean(),
});

export type DevnetOptions = z.infer<typeof devnetOptionsSchema>;

export const DEFAULT_DEVNET_OPTIONS: DevnetOptions = {
  blocks: null,
  txs: 64,
  publicCalls: '0:0.5,1:0.3,4:0.2',
  profile: 'rfp-2023',
  prover: 'simulated',
  timeScale: 0.01,
  agents: { heavy: 4, light: 8 },
  rivalAgents: { heavy: 2, light: 4 },
  dataDir: '.data/devnet',
  json: false,
  port: 8545,
  sequencers: 3,
  slotSeconds: 12,
  maxTxs: 61_440,
  fresh: false,
};

/**
 * Checks what the schema cannot: the profile exists, the public-call spec parses, blocks fit the profile. Throws the
 * named error before anything is started.
 */
export function validateDevnetOptions(options: DevnetOptions): void {
  const profile = getCircuitProfile(options.profile);
  parsePublicCallSpec(options.publicCalls);
  if (options.txs > profile.maxTxs) throw new BlockTooLargeError(options.txs, profile.maxTxs);
  if (options.txs < (profile.minTxs ?? 1)) throw new BlockTooSmallError(options.txs, profile.minTxs ?? 1);
}

/** Our firm prices quotes with the default cost model; the rival asks for more, so sequencers pick us. */
export const OUR_COST_MODEL = DEFAULT_COST_MODEL;
export const RIVAL_COST_MODEL = { ...DEFAULT_COST_MODEL, margin: 1.5 };

export type AgentCounts = Readonly<Record<Tier, number>>;

/** The protocol timing for a slot length, in the proportions of the 12 s devnet defaults. */
export function slotTiming(slotSeconds: number) {
  const phase = Math.floor(slotSeconds / 3);
  return {
    slotSeconds,
    proposalSeconds: phase,
    revealSeconds: phase,
    commitSeconds: phase,
    exclusiveWindowSeconds: Math.round(slotSeconds * 3.75),
    provingDeadlineSeconds: slotSeconds * 10,
    escrowWithdrawalDelaySeconds: slotSeconds * 25,
    sequencerExitDelaySeconds: slotSeconds * 10,
  };
}

/**
 * Real proofs take minutes on a small machine (a 4-tx noir-tree block about 3 on two idle cores, far more on a busy
 * one): windows long enough that a block is never pruned or opened to the race for want of time. Slots stay short;
 * sequencers wait for proofs instead (`maxUnprovenBlocks`).
 */
export function realProofTiming(slotSeconds: number) {
  // L1 holds at most MAX_PENDING_BLOCKS unproven blocks and wants room for a deadline's worth of slots (protocol v2),
  // so with very short slots the deadline is what 256 slots allow.
  const provingDeadlineSeconds = Math.min(Math.max(slotSeconds * 10, 2_400), slotSeconds * MAX_PENDING_BLOCKS);
  return {
    ...slotTiming(slotSeconds),
    exclusiveWindowSeconds: Math.min(Math.max(Math.round(slotSeconds * 3.75), 1_200), Math.floor(provingDeadlineSeconds / 2)),
    provingDeadlineSeconds,
    escrowWithdrawalDelaySeconds: Math.max(slotSeconds * 25, 4_800),
    maxPendingBlocks: Math.ceil(provingDeadlineSeconds / slotSeconds),
  };
}

/** Rollup.sol's cap on revealed, unproven blocks (contracts/src/rollup/Parameters.sol, MAX_PENDING_BLOCKS). */
const MAX_PENDING_BLOCKS = 256;

/** Our agents when proving for real: one 2^21-gate proof (about 1.9 GB, every core) at a time, leaves beside it. */
export const REAL_PROOF_AGENTS: AgentCounts = { heavy: 1, light: 2 };
export const REAL_PROOF_RIVAL_AGENTS: AgentCounts = { heavy: 1, light: 1 };
