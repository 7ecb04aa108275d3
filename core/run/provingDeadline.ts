import type { ProvingRun } from '../ports/provingRun.js';

/** Why a run is abandoned when L1's clock reaches its proving deadline before the root proof is ready. */
export const PROVING_DEADLINE_PASSED = 'the proving deadline passed before the root proof was ready';

/**
 * Whether a run still waiting for its root proof (provisioning or proving) is out of time: L1's latest timestamp
 * (`l1Now`, seconds) has reached its recorded proving deadline. Judged by L1's clock, not ours: the rollup contract is.
 * Protocol v2 can move a deadline later (a late parent's proof restarts the block's clock), so a caller that would
 * abandon the run confirms with `currentDeadline`, which reads L1 and records the moved deadline.
 */
export function provingDeadlinePassed(run: Pick<ProvingRun, 'state' | 'provingDeadline'>, l1Now: number): boolean {
  return (run.state === 'provisioning' || run.state === 'proving') && l1Now >= run.provingDeadline;
}
