import type { RunWork } from '../ports/fleetTargets.js';

/**
 * Runs whose work a published target lists one by one. A target is one stored item (on AWS a DynamoDB item, at most
 * 400 KB, names included: DynamoDB developer guide, service quotas); an entry takes at most 180 bytes of JSON (a
 * 64-character run id, every number at its longest), so 256 of them and the fold stay under 47 KB however many runs
 * are live.
 */
export const MAX_PUBLISHED_RUNS = 256;

/** The run id of the entry that folds the least urgent runs' work (no run id `runIdFor` makes starts so). */
export const FOLDED_RUNS_PREFIX = 'folded:';

/**
 * The work a target publishes: every run's while there are at most `maxRuns`, else the `maxRuns` most urgent (earliest
 * deadline, then most work left) and one entry for the rest — their work summed, due at the earliest of their
 * deadlines and committed if any of them is, so quoting reserves at least what they need, never later.
 */
export function boundWork(work: readonly RunWork[], maxRuns: number = MAX_PUBLISHED_RUNS): readonly RunWork[] {
  if (work.length <= maxRuns) return work;
  const urgent = [...work].sort((a, b) => a.deadline - b.deadline || b.remainingSeconds - a.remainingSeconds);
  const rest = urgent.slice(maxRuns);
  const folded: RunWork = {
    runId: `${FOLDED_RUNS_PREFIX}${rest.length}`,
    deadline: Math.min(...rest.map((run) => run.deadline)),
    reason: rest.some((run) => run.reason === 'committed') ? 'committed' : rest[0]!.reason,
    remainingSeconds: rest.reduce((total, run) => total + run.remainingSeconds, 0),
  };
  return [...urgent.slice(0, maxRuns), folded];
}
