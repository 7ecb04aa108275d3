/**
 * A token bucket whose callers queue in order (first come, first served): `reserve(now)` takes the next token and
 * answers when it is there. Tokens refill continuously at `perSecond`, up to `burst`; a caller that finds the bucket
 * empty runs into debt that later refills pay off, so a long queue drains at exactly `perSecond`.
 */
export class QueuedTokenBucket {
  private tokens: number;
  private stamp: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    start: number,
  ) {
    this.tokens = burst;
    this.stamp = start;
  }

  /** Epoch milliseconds at which the caller's token is there (`now`, or later when the bucket is empty). */
  reserve(now: number): number {
    const at = Math.max(now, this.stamp);
    this.tokens = Math.min(this.burst, this.tokens + ((at - this.stamp) / 1_000) * this.perSecond);
    this.stamp = at;
    this.tokens -= 1;
    return this.tokens >= 0 ? at : at + (-this.tokens / this.perSecond) * 1_000;
  }
}

/** The AWS Batch API calls the fleet makes, as `adapters/aws/batchAgentCapacity.ts` makes them. */
export const BATCH_CALLS = ['SubmitJob', 'CancelJob', 'TerminateJob', 'ListJobs', 'DescribeJobs'] as const;
export type BatchCall = (typeof BATCH_CALLS)[number];

/**
 * The account's one Batch API budget: every call waits its turn, one every 1 / `perSecond` seconds, so no second
 * ever holds more than `perSecond` calls. Counts calls by kind and by second (the report's peak TPS).
 */
export class BatchApiBudget {
  readonly calls: Record<BatchCall, number> = { SubmitJob: 0, CancelJob: 0, TerminateJob: 0, ListJobs: 0, DescribeJobs: 0 };
  private next = -Infinity;
  private readonly perSecondCounts = new Map<number, number>();
  private peak = 0;

  constructor(private readonly perSecond: number) {}

  /** Reserves one call of `kind` asked for at `now`; answers when it goes out (epoch ms). */
  call(kind: BatchCall, now: number): number {
    // Whole milliseconds, so the spacing is exact and no second can ever hold one call too many.
    const at = Math.ceil(Math.max(now, this.next));
    this.next = at + Math.ceil(1_000 / this.perSecond);
    this.calls[kind]++;
    const second = Math.floor(at / 1_000);
    const count = (this.perSecondCounts.get(second) ?? 0) + 1;
    this.perSecondCounts.set(second, count);
    if (count > this.peak) this.peak = count;
    return at;
  }

  /** When the last call asked for so far goes out (a caller that awaits its calls is busy until then). */
  get idleAt(): number {
    return this.next;
  }

  /** The most calls that went out in one second. */
  get peakPerSecond(): number {
    return this.peak;
  }

  get total(): number {
    return BATCH_CALLS.reduce((total, kind) => total + this.calls[kind], 0);
  }
}
