import type { RollupBlockState } from '../ports/l1.js';
import type { ProvingRun } from '../ports/provingRun.js';
import type { RunDependencies } from './runDependencies.js';

/**
 * The run's proving deadline as L1 has it now. A block's window and deadline move later when its parent is proven
 * after the block's reveal phase (its clock restarts: a block is only on the clock while it is provable), so a run
 * reads L1 before giving up on its stored deadline, and stores the moved one. Pass the block's state if it was just read.
 */
export async function currentDeadline(
  deps: Pick<RunDependencies, 'chain' | 'store' | 'clock'>,
  run: ProvingRun,
  read?: RollupBlockState,
): Promise<number> {
  const block = read ?? (await deps.chain.blockState(run.blockNumber));
  if (block.bodyHash !== run.bodyHash || block.provingDeadline <= run.provingDeadline) return run.provingDeadline;
  const moved = { provingDeadline: block.provingDeadline, exclusiveUntil: block.exclusiveUntil };
  await deps.store.transitionRun(run.runId, [run.state], run.state, moved, deps.clock.now());
  return block.provingDeadline;
}
