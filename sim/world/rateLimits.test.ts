import { describe, expect, it } from 'vitest';
import { BatchApiBudget, QueuedTokenBucket } from './rateLimits.js';

describe('QueuedTokenBucket', () => {
  it('serves its burst at once, then one token every 1 / rate seconds, in order', () => {
    const bucket = new QueuedTokenBucket(3, 2, 0);
    expect(Array.from({ length: 6 }, () => bucket.reserve(0))).toEqual([0, 0, 0, 500, 1_000, 1_500]);
  });

  it('refills while idle, never beyond its burst', () => {
    const bucket = new QueuedTokenBucket(2, 1, 0);
    bucket.reserve(0);
    bucket.reserve(0);
    // Ten seconds idle refill two tokens, not ten.
    expect([bucket.reserve(10_000), bucket.reserve(10_000), bucket.reserve(10_000)]).toEqual([10_000, 10_000, 11_000]);
  });

  it('pays a queue back before anyone new gets a token', () => {
    const bucket = new QueuedTokenBucket(1, 1, 0);
    for (let i = 0; i < 5; i++) bucket.reserve(0);
    // Four tokens are owed at 1 s … 4 s; a caller at 2 s waits behind them.
    expect(bucket.reserve(2_000)).toBe(5_000);
  });
});

describe('BatchApiBudget', () => {
  it('spaces calls evenly so no second ever holds more than the rate, and counts them by kind', () => {
    const budget = new BatchApiBudget(50);
    const times = [
      ...Array.from({ length: 120 }, () => budget.call('TerminateJob', 1_000.4)),
      ...Array.from({ length: 30 }, () => budget.call('ListJobs', 1_500)),
    ];
    expect(times[0]).toBe(1_001);
    expect(times[1]! - times[0]!).toBe(20);
    expect(budget.peakPerSecond).toBe(50);
    expect(budget.calls).toMatchObject({ TerminateJob: 120, ListJobs: 30, SubmitJob: 0 });
    expect(budget.total).toBe(150);
    expect(budget.idleAt).toBe(times.at(-1)! + 20);
  });
});
