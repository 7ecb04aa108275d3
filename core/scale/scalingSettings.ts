import type { Tier } from '../tiers.js';
import type { LaunchRate } from './launchRate.js';

/** How capacity follows demand; one validated object from the edge. */
export interface ScalingSettings {
  readonly minAgents: Readonly<Record<Tier, number>>;
  readonly maxAgents: Readonly<Record<Tier, number>>;
  /** How far ahead of the ideal schedule to provision: about an agent's launch latency (seconds of profile time). */
  readonly horizonSeconds: number;
  readonly urgentSlackSeconds: number;
  /** Wall seconds one expected second of proving takes (the devnet's time scale; 1 in the cloud). */
  readonly secondsPerExpectedSecond: number;
  /**
   * Aim to prove the root within this multiple of the critical path after the first agents can start (never past
   * the deadline less `urgentSlackSeconds`). Smaller finishes sooner with more agents; larger costs less, since each
   * agent's start-up and idle tail is spread over more proofs. Default `DEFAULT_TARGET_STRETCH`.
   */
  readonly targetStretch?: number;
  /** Seconds of forecast beyond the horizon: about the time between scaling ticks. Default 15. */
  readonly lookaheadSeconds?: number;
  /**
   * Agents not yet started while a tier is still above its target this long after it went above are stragglers,
   * stopped through the capacity port (CancelJob); running agents leave by themselves. Keep it above a tick plus the
   * agents' leave grace and one long poll, or agents about to leave cost an API call. Default `DEFAULT_STRAGGLER_SECONDS`.
   */
  readonly stragglerSeconds?: number;
  /**
   * A tier's target never drops below the most it wanted over this many wall seconds, counting only wants a block
   * that arrived later can re-want, so agents a stream keeps needing do not leave between blocks while an isolated
   * block's peak goes (see `holdScaleDown`). 0 turns the hold off. Default
   * `DEFAULT_SCALE_DOWN_HOLD_SECONDS`.
   */
  readonly scaleDownHoldSeconds?: number;
  /**
   * How long Batch may still list an agent that has left (exited 0) among its running jobs. A new target discounts
   * every leave granted within this long of its count, so a leave is never granted twice for one agent. Default
   * `DEFAULT_EXIT_LISTED_SECONDS`.
   */
  readonly exitListedSeconds?: number;
  /**
   * How fast EC2 can bring up new agents (`launchRate.ts`). With it, each tick asks for no more agents than the
   * RunInstances bucket can bring up by the time the forecast needs them, and shares those launches between the tiers
   * by urgency (`shareLaunches`); without it, every deficit is asked for at once.
   */
  readonly launchRate?: LaunchRate;
}

/** Seconds of forecast beyond the provisioning horizon: about one scaling tick, so agents are asked for in time. */
export const DEFAULT_LOOKAHEAD_SECONDS = 15;

/**
 * 90 s: an idle agent leaves once a later tick (30 s) has confirmed the lowered target and the grace (10 s) has
 * passed, noticing within one long poll (20 s): 60 s, so 90 s leaves a margin; a parameter, since Batch's own lags are
 * undocumented.
 */
export const DEFAULT_STRAGGLER_SECONDS = 90;

/**
 * 150 s: a little over two 72-s slots, the shortest hold measured that keeps the stream's p95 (docs/fleet.md, "Where
 * the stream's steady compute goes": 50 blocks at 131k / 65k vCPUs, steady compute 1.52× → 1.51× the bound at p95
 * 1.51 → 1.515; 100 s costs p95 1.58, as does no hold). Below two slots a block beside a large one finds the agents
 * gone and waits on EC2's RunInstances bucket (2 instances/s after a 1,000 burst) and ~60 s of launch and boot.
 * Half the default of the autoscalers firms know best for this, Kubernetes' HPA downscale stabilization window ("If
 * not set, use the default values: ... For scale down: 300", autoscaling/v2 HPAScalingRules;
 * https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#default-behavior) and KEDA's
 * cooldownPeriod ("Optional. Default: 300 seconds", https://keda.sh/docs/latest/reference/scaledobject-spec/), which
 * do not know the slot. A parameter: `prover-burst simulate --scenario stream` with a `--model` file reports its
 * sensitivity.
 */
export const DEFAULT_SCALE_DOWN_HOLD_SECONDS = 150;

/**
 * 30 s: about one scaling tick. AWS documents no bound on how soon ListJobs shows a finished job as SUCCEEDED (Batch
 * user guide, job states: https://docs.aws.amazon.com/batch/latest/userguide/job_states.html), so it is a parameter:
 * longer leaves surplus agents up one tick more; shorter risks the fleet dipping below its target.
 */
export const DEFAULT_EXIT_LISTED_SECONDS = 30;

/**
 * Plan to prove the root 8 % after the critical path: with proof-time spread and request latencies, blocks land about
 * 12 % after it (see `prover-burst simulate`), well inside a 2 × critical-path deadline.
 */
export const DEFAULT_TARGET_STRETCH = 1.08;
