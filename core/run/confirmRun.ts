import { abandonRun } from './abandonRun.js';
import type { RunDependencies, RunSettings } from './runDependencies.js';

export type ConfirmOutcome =
  | { readonly kind: 'confirmed' }
  | { readonly kind: 'resubmit'; readonly why: string }
  | { readonly kind: 'abandoned'; readonly reason: string }
  | { readonly kind: 'skipped'; readonly why: string };

/**
 * The confirm state: wait for the submission to be `confirmations` deep. A reverted submission is explained from
 * the chain: proven under our id after all (confirmed), proven by another firm (abandoned), or worth another try.
 */
export async function confirmRun(deps: RunDependencies, settings: RunSettings, runId: string): Promise<ConfirmOutcome> {
  const run = await deps.store.getRun(runId);
  if (!run || run.state !== 'submitting' || run.l1TxHash === '') return { kind: 'skipped', why: `run is ${run?.state ?? 'missing'}` };
  const receipt = await deps.chain.waitForReceipt(run.l1TxHash, settings.confirmations, { deadline: run.provingDeadline });
  const now = deps.clock.now();
  if (receipt.status === 'success') {
    // A fee bump may have landed a replacement: record the transaction that was actually mined.
    await deps.store.transitionRun(runId, ['submitting'], 'confirmed', { l1TxHash: receipt.txHash }, now);
    deps.log.info('root proof confirmed on L1', { runId, blockNumber: run.blockNumber, txHash: run.l1TxHash, gasUsed: receipt.gasUsed });
    return { kind: 'confirmed' };
  }
  const block = await deps.chain.blockState(run.blockNumber);
  if (block.status === 'proven' && block.provenBy.toLowerCase() === run.proverId.toLowerCase()) {
    await deps.store.transitionRun(runId, ['submitting'], 'confirmed', {}, now);
    return { kind: 'confirmed' };
  }
  if (block.status === 'proven') {
    const reason = `our submission reverted: proven first by ${block.provenBy}`;
    await abandonRun(deps, runId, reason);
    return { kind: 'abandoned', reason };
  }
  await deps.store.transitionRun(runId, ['submitting'], 'submitting', { l1TxHash: '' }, now);
  return { kind: 'resubmit', why: `submission ${receipt.txHash} reverted` };
}
