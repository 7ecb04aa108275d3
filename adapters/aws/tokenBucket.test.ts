import { describe, expect, it } from 'vitest';
import { manualClock } from '../../test/support/manualClock.js';
import { createTokenBucket } from './tokenBucket.js';

describe('the token bucket', () => {
  it('lets a burst through, then paces calls at the rate', async () => {
    const clock = manualClock(0);
    const bucket = createTokenBucket({ ratePerSecond: 50, burst: 50, clock });
    const times: number[] = [];
    const calls = Array.from({ length: 150 }, () => bucket.take().then(() => times.push(clock.now())));
    for (let i = 0; i < 400 && times.length < 150; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      await clock.advance(10);
    }
    await Promise.all(calls);
    expect(times.filter((t) => t === 0)).toHaveLength(50);
    // After the burst, no more than 50 calls in any second.
    for (let start = 0; start <= 2_000; start += 100) {
      expect(times.filter((t) => t > start && t <= start + 1_000).length).toBeLessThanOrEqual(50);
    }
    expect(Math.max(...times)).toBeGreaterThanOrEqual(1_980);
  });
});
