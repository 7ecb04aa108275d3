import type { BlockPlan } from '../../core/plan/blockPlan.js';

/**
 * The earliest each job of `plan` can start (seconds from the start of proving) when no agent works before
 * `arrivalSeconds` and every proof takes its expected time: the later of the arrival and its children's ends, carried
 * through the dependency graph (a job released at the arrival delays its parents too). Shared by the cold bound and
 * the cost floor, so both give a job the same window.
 */
export function earliestStarts(plan: BlockPlan, arrivalSeconds: number): Float64Array {
  const earliest = new Float64Array(plan.size);
  for (let job = 0; job < plan.size; job++) {
    let ready = arrivalSeconds;
    for (let d = plan.depOffsets[job]!; d < plan.depOffsets[job + 1]!; d++) {
      const child = plan.depList[d]!;
      ready = Math.max(ready, earliest[child]! + plan.expectedSeconds[child]!);
    }
    earliest[job] = ready;
  }
  return earliest;
}
