import { standardNormal } from './distribution.js';
import { uniformAt } from './stableHash.js';

/**
 * How long one attempt at a job takes: its expectation times a log-normal factor whose mean is 1. The draw depends
 * only on (seed, job, attempt), so the real agent loop, the fast path and the baselines prove the same block with
 * the same durations, whatever order they run jobs in.
 */
export function proofSeconds(expectedSeconds: number, sigma: number, seedKey: number, jobKey: number, attempt: number): number {
  if (sigma === 0) return expectedSeconds;
  const z = standardNormal(uniformAt(seedKey, jobKey, 2 * attempt), uniformAt(seedKey, jobKey, 2 * attempt + 1));
  return expectedSeconds * Math.exp(sigma * z - (sigma * sigma) / 2);
}
