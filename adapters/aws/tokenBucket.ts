import type { Clock } from '../../core/ports/clock.js';

/** Paces calls to an API with a rate limit: `take()` resolves when a call may go out. */
export interface TokenBucket {
  take(): Promise<void>;
}

/**
 * A token bucket: up to `burst` calls at once, then `ratePerSecond` on average. Callers queue in order, so a burst of
 * submissions never exceeds the limit (AWS Batch's SubmitJob allows about 50 a second per account).
 */
export function createTokenBucket({ ratePerSecond, burst, clock }: { ratePerSecond: number; burst?: number; clock: Clock }): TokenBucket {
  const capacity = burst ?? Math.max(1, Math.floor(ratePerSecond));
  let tokens = capacity;
  let refilledAt = clock.now();
  let queue: Promise<void> = Promise.resolve();

  const refill = () => {
    const now = clock.now();
    tokens = Math.min(capacity, tokens + ((now - refilledAt) / 1000) * ratePerSecond);
    refilledAt = now;
  };

  return {
    take() {
      const turn = queue.then(async () => {
        refill();
        if (tokens < 1) {
          await clock.sleep(Math.ceil(((1 - tokens) / ratePerSecond) * 1000));
          refill();
        }
        tokens -= 1;
      });
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}
