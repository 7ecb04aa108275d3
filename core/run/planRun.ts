import { hexToBytes, keccak256 } from 'viem';
import { decodeBlockBodyBytes } from '../body/encodeBlockBody.js';
import { BodyHashMismatchError, ProverBurstError } from '../errors/index.js';
import type { BlockPlan } from '../plan/blockPlan.js';
import { planBlock } from '../plan/planBlock.js';
import { bodyLimitsOf } from '../profiles/circuitProfile.js';
import { getCircuitProfile } from '../profiles/getCircuitProfile.js';
import type { BlockRunRequest } from '../ports/blockRunDriver.js';
import type { ProvingRun } from '../ports/provingRun.js';
import { enqueueReadyLeaves } from '../jobs/enqueueReadyJobs.js';
import { runDue } from '../jobs/urgency.js';
import type { RunDependencies, RunSettings } from './runDependencies.js';

const ZERO_ROOT = `0x${'0'.repeat(64)}` as const;

/**
 * The plan state: fetch the revealed body, check it against the revealed hash and the profile's limits, store it,
 * build the DAG, record the run and enqueue the jobs that are ready. A body that fails a check is refused: the run
 * is recorded as abandoned with the check's error, and nothing else stops. Planning a block twice is a no-op.
 */
export async function planRun(deps: RunDependencies, settings: RunSettings, request: BlockRunRequest): Promise<ProvingRun> {
  const existing = await deps.store.getRun(request.runId);
  if (existing) {
    // A retried plan state (crash after recording, before all leaves were sent): sending again is harmless.
    if (existing.state === 'planned') await enqueueReadyLeaves(deps.queue, (await deps.runs.get(existing.runId)).plan, runDue(existing, settings.scaling.secondsPerExpectedSecond));
    return existing;
  }
  const profile = getCircuitProfile(settings.profile);
  const limits = bodyLimitsOf(profile, settings.maxTxs);
  const now = deps.clock.now();
  const base = baseRun(settings, request, now);

  let plan: BlockPlan;
  let bytes: Uint8Array;
  try {
    bytes = hexToBytes(await deps.chain.revealedBody(request.blockNumber));
    const actual = keccak256(bytes);
    if (actual !== request.bodyHash) throw new BodyHashMismatchError(request.bodyHash, actual);
    plan = planBlock(decodeBlockBodyBytes(bytes, limits), profile, { blockId: request.runId, trusted: true });
  } catch (error) {
    if (!(error instanceof ProverBurstError)) throw error;
    deps.log.warn('refused a revealed body', { runId: request.runId, blockNumber: request.blockNumber, error: error.message });
    const refused: ProvingRun = { ...base, state: 'abandoned', stateReason: `refused body: ${error.name}: ${error.message}` };
    return (await deps.store.createRun(refused)).run;
  }

  const bodyDigest = await deps.artifacts.put(bytes);
  const roots = await deps.stateRoots(request);
  const run: ProvingRun = {
    ...base,
    bodyDigest,
    txCount: plan.body.txs.length,
    jobCount: plan.size,
    criticalPathSeconds: plan.criticalPathSeconds,
    parentStateRoot: roots.parentStateRoot,
    newStateRoot: roots.newStateRoot,
  };
  const { run: stored } = await deps.store.createRun(run);
  if (stored.state === 'planned') await enqueueReadyLeaves(deps.queue, plan, runDue(stored, settings.scaling.secondsPerExpectedSecond));
  deps.log.info('planned block', {
    runId: run.runId,
    blockNumber: run.blockNumber,
    txs: plan.body.txs.length,
    jobs: plan.size,
    criticalPathSeconds: plan.criticalPathSeconds,
  });
  return stored;
}

function baseRun(settings: RunSettings, request: BlockRunRequest, now: number): ProvingRun {
  return {
    runId: request.runId,
    blockNumber: request.blockNumber,
    slot: request.slot,
    bodyHash: request.bodyHash,
    revealedIn: request.revealedIn,
    bodyDigest: '',
    profile: settings.profile,
    txCount: request.txCount,
    jobCount: 0,
    criticalPathSeconds: 0,
    parentBlock: request.parentBlock,
    parentStateRoot: ZERO_ROOT,
    newStateRoot: ZERO_ROOT,
    proverId: settings.proverId,
    reason: request.reason,
    exclusiveUntil: request.exclusiveUntil,
    provingDeadline: request.provingDeadline,
    state: 'planned',
    stateReason: '',
    rootDigest: '',
    l1TxHash: '',
    createdAt: now,
    provingStartedAt: 0,
    rootProvenAt: 0,
    updatedAt: now,
  };
}
