import type { Tier } from '../tiers.js';

/** What a queue carries: a pointer to one job of one run; everything else is derived from the run's plan. */
export interface JobMessage {
  readonly runId: string;
  readonly jobId: string;
  readonly jobIndex: number;
  /**
   * The latest the job can start and its run still meet its proving deadline (L1 seconds, `core/jobs/urgency.ts`):
   * queues deliver the earliest first where they can order, or by lane where they cannot (SQS).
   */
  readonly latestStart: number;
}

export interface Delivery {
  readonly message: JobMessage;
  /** Opaque handle for extend / ack / release. */
  readonly receipt: string;
  /** How many times this message has been received, this one included. */
  readonly receiveCount: number;
}

export interface ReceiveOptions {
  readonly max: number;
  /** Long-poll for up to this long when the queue is empty. */
  readonly waitMs: number;
  /** The message stays invisible to others this long unless extended. */
  readonly visibilityMs: number;
  readonly signal?: AbortSignal;
}

/** One work queue per tier, with visibility timeouts, redelivery and a dead-letter queue. */
export interface WorkQueue {
  send(tier: Tier, messages: readonly JobMessage[]): Promise<void>;
  receive(tier: Tier, options: ReceiveOptions): Promise<Delivery[]>;
  /** Keeps a message invisible for `visibilityMs` more (the heartbeat). */
  extend(tier: Tier, receipt: string, visibilityMs: number): Promise<void>;
  /** Deletes a handled message. */
  ack(tier: Tier, receipt: string): Promise<void>;
  /** Makes a message visible again after `delayMs` (0: now), e.g. when an agent is told to stop. */
  release(tier: Tier, receipt: string, delayMs: number): Promise<void>;
  /** Messages waiting, in flight, and dead-lettered (approximate on AWS). */
  depth(tier: Tier): Promise<{ readonly ready: number; readonly inFlight: number; readonly dead: number }>;
}
