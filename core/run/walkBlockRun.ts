import { PROVING_DEADLINE_PASSED, provingDeadlinePassed } from './provingDeadline.js';
import { jobIdAt } from '../plan/jobAt.js';
import type { BlockRunRequest } from '../ports/blockRunDriver.js';
import type { ProvingRun } from '../ports/provingRun.js';
import { abandonRun } from './abandonRun.js';
import { currentDeadline } from './currentDeadline.js';
import { confirmRun } from './confirmRun.js';
import { planRun } from './planRun.js';
import { provisionRun } from './provisionRun.js';
import { recordRootProven } from './recordRootProven.js';
import { rescaleRuns } from './rescaleRuns.js';
import type { RunDependencies, RunSettings } from './runDependencies.js';
import type { RunInbox } from './runInbox.js';
import { settleRun } from './settleRun.js';
import { submitRun } from './submitRun.js';

/**
 * Walks one block run through the same states as the Step Functions machine — plan → provision → prove →
 * submit → confirm → settle, or abandon — calling the same step functions. It resumes from whatever state the store
 * holds, so a restarted devnet picks every run up where it was. `stop` pauses the walk (the run stays as it is).
 */
export async function walkBlockRun(
  deps: RunDependencies,
  settings: RunSettings,
  request: BlockRunRequest,
  inbox: RunInbox,
  stop: AbortSignal,
): Promise<ProvingRun | null> {
  let run: ProvingRun | null = await planRun(deps, settings, request);
  let errors = 0;
  while (run && !stop.aborted) {
    const state = run.state;
    try {
      run = await step(deps, settings, run, inbox, stop);
      errors = 0;
    } catch (error) {
      // RPC or store trouble: back off and try the same state again. The prove and submit states compare the
      // deadline with L1's own clock, so a run gives up once L1 answers again and says it is too late.
      errors++;
      const message = error instanceof Error ? error.message : String(error);
      deps.log.warn('block run step failed; retrying', { runId: request.runId, state, errors, error: message });
      await inbox.wait(deps.clock, Math.min(settings.submitRetryMs * 2 ** Math.min(errors, 5), 30_000), stop);
      run = await deps.store.getRun(request.runId);
    }
    if (run?.state === 'settled' || run?.state === 'abandoned') return run;
  }
  return run;
}

async function step(
  deps: RunDependencies,
  settings: RunSettings,
  run: ProvingRun,
  inbox: RunInbox,
  stop: AbortSignal,
): Promise<ProvingRun | null> {
  if (inbox.failReason && run.state !== 'confirmed') return abandonRun(deps, run.runId, inbox.failReason);
  switch (run.state) {
    case 'planned':
    case 'provisioning':
      return provisionRun(deps, settings, run.runId).then(async (moved) => moved ?? deps.store.getRun(run.runId));
    case 'proving':
      return prove(deps, settings, run, inbox, stop);
    case 'submitting': {
      const submitted = await submitRun(deps, settings, run.runId);
      if (submitted.kind === 'sent') {
        const confirmed = await confirmRun(deps, settings, run.runId);
        if (confirmed.kind === 'resubmit') await inbox.wait(deps.clock, settings.submitRetryMs, stop);
      } else if (submitted.kind === 'wait') {
        await inbox.wait(deps.clock, settings.submitRetryMs, stop);
      }
      return deps.store.getRun(run.runId);
    }
    case 'confirmed':
      return settleRun(deps, run.runId);
    default:
      return run;
  }
}

/** One tick of the prove state: the root arrived, the deadline passed, or re-scale and wait. */
async function prove(
  deps: RunDependencies,
  settings: RunSettings,
  run: ProvingRun,
  inbox: RunInbox,
  stop: AbortSignal,
): Promise<ProvingRun | null> {
  let rootDigest = inbox.rootDigest;
  if (!rootDigest) {
    // After a restart the root may have been proven while nobody was listening.
    const { plan } = await deps.runs.get(run.runId);
    const root = await deps.store.getJob(run.runId, jobIdAt(plan, plan.rootIndex));
    if (root?.state === 'done') rootDigest = root.digest;
  }
  if (rootDigest) {
    inbox.rootDigest = '';
    return (await recordRootProven(deps.store, run.runId, rootDigest, deps.clock.now())) ?? deps.store.getRun(run.runId);
  }
  const now = await deps.chain.latestTimestamp();
  if (provingDeadlinePassed(run, now)) {
    // Say why the run ends as L1 has it: another firm may have proven the block, or its deadline may have moved.
    const block = await deps.chain.blockState(run.blockNumber);
    if (block.status === 'proven' && block.provenBy.toLowerCase() !== run.proverId.toLowerCase()) {
      return abandonRun(deps, run.runId, `proven first by ${block.provenBy}`);
    }
    if (now >= (await currentDeadline(deps, run, block))) {
      return abandonRun(deps, run.runId, PROVING_DEADLINE_PASSED);
    }
  }
  await rescaleRuns(deps, settings);
  await inbox.wait(deps.clock, settings.rescaleMs, stop);
  return deps.store.getRun(run.runId);
}
