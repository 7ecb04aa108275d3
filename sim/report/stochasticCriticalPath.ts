import type { BlockPlan } from '../../core/plan/blockPlan.js';
import { jobIdAt } from '../../core/plan/jobAt.js';
import { proofSeconds } from '../model/proofSeconds.js';
import { hashText } from '../model/stableHash.js';

/**
 * The longest path through the plan with this seed's first-attempt proof durations: the makespan unlimited machines
 * with no latency would reach, so the share of the makespan that is the proof-time spread and not the scheduling.
 */
export function stochasticCriticalPath(plan: BlockPlan, sigma: number, seed: string): number {
  const seedKey = hashText(seed);
  const end = new Float64Array(plan.size);
  let longest = 0;
  for (let job = 0; job < plan.size; job++) {
    let ready = 0;
    for (let d = plan.depOffsets[job]!; d < plan.depOffsets[job + 1]!; d++) ready = Math.max(ready, end[plan.depList[d]!]!);
    end[job] = ready + proofSeconds(plan.expectedSeconds[job]!, sigma, seedKey, hashText(jobIdAt(plan, job)), 0);
    longest = Math.max(longest, end[job]!);
  }
  return longest;
}
