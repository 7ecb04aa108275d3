import type { JobRuleSettings } from '../jobs/jobRuleSettings.js';
import { SPOT_NOTICE_MS } from './interruptionNotice.js';

/** How an agent paces itself; one object, validated at the edge and passed down. */
export interface AgentSettings extends JobRuleSettings {
  /** A received message stays invisible, and a lease lasts, this long unless the heartbeat extends it. */
  readonly visibilityMs: number;
  readonly heartbeatMs: number;
  /** Long-poll wait when the queue is empty. */
  readonly waitMs: number;
  /** An agent with nothing to do for this long exits (Batch then stops paying for it). */
  readonly idleExitMs: number;
  /**
   * Prover failures before a job is failed for good. Keep the queue's `maxReceiveCount` above it (the CDK sets
   * `maxFailures + 3`): on SQS every receive counts, hand-backs of held leases and stops included.
   */
  readonly maxFailures: number;
  /** Back-off after a failure, multiplied by the failure count. */
  readonly retryDelayMs: number;
  /**
   * A parent claimed for enqueueing but left unleased this long is taken over (the claimant died). A dead claimant is
   * only noticed when a child's message comes back, at most `visibilityMs − heartbeatMs` after the claim, so keep this
   * below that, or the parent is never enqueued and its run waits for the deadline (`prover-burst simulate
   * --scenario kill-30` finds it). Taking over a live but slow claimant costs one duplicate message, which the lease
   * absorbs.
   */
  readonly staleClaimMs: number;
  /**
   * An agent leaves its tier only once the tier has run above its published target this long, and a later scaling
   * tick has published it still above (`leaveDue`): a target that dips for one tick is not worth a launch later.
   */
  readonly leaveGraceMs: number;
  /** The least time between two reads of the tier's target (each is one read of the target store). */
  readonly leaveCheckMs: number;
  /**
   * With several agents per instance, how long an agent not chosen to leave at once (`leaveDecision`) waits per other
   * agent on its instance before it claims a leave anyway: longer keeps the agents of fuller instances while emptier
   * ones leave, shorter lets the surplus go sooner from wherever it is. A parameter; its sensitivity is in docs/fleet.md.
   */
  readonly packingDelayMs: number;
  /**
   * From Spot's interruption notice to the interruption (`SPOT_NOTICE_MS`, two minutes): on the notice an agent finishes
   * the proof in hand when it fits in this less `interruptionMarginMs` (`interruptionVerdict`), else hands it back.
   */
  readonly interruptionNoticeMs: number;
  /**
   * Kept back from the notice: the host's poll for it (spot-notice.sh asks IMDS every 5 s), the hand-back's own calls
   * should the proof run on, and EC2's notice being best effort. A parameter; its sensitivity is in docs/fleet.md.
   */
  readonly interruptionMarginMs: number;
  /** What is left of a proof (expected − proving so far) is taken as this many times longer. A parameter (docs/fleet.md). */
  readonly remainingSafetyFactor: number;
  /** Storing a finished proof and recording it (S3 PUT, DynamoDB, the parent's SQS message): a parameter. */
  readonly uploadBudgetMs: number;
}

export const DEFAULT_AGENT_SETTINGS: AgentSettings = {
  visibilityMs: 120_000,
  heartbeatMs: 30_000,
  waitMs: 20_000,
  idleExitMs: 120_000,
  maxFailures: 3,
  retryDelayMs: 5_000,
  staleClaimMs: 60_000,
  leaveGraceMs: 10_000,
  leaveCheckMs: 5_000,
  packingDelayMs: 180_000,
  secondsPerExpectedSecond: 1,
  interruptionNoticeMs: SPOT_NOTICE_MS,
  interruptionMarginMs: 20_000,
  remainingSafetyFactor: 1.5,
  uploadBudgetMs: 10_000,
};
