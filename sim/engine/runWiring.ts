import type { BlockPlan } from '../../core/plan/blockPlan.js';
import type { JobStore } from '../../core/ports/jobStore.js';
import type { RollupChain } from '../../core/ports/l1.js';
import type { ProvingRun } from '../../core/ports/provingRun.js';
import type { Synchronous } from '../../core/ports/synchronous.js';
import type { RunSettings } from '../../core/run/runDependencies.js';
import type { SimModel } from '../model/model.js';
import { scalerSettingsFor } from '../model/scalerSettings.js';
import type { EventLoop } from './eventLoop.js';
import type { ProofLedger } from './proofLedger.js';

const SECOND = 1_000;

/** The store, telling the ledger each time a job is recorded done (completions count where the store counts them). */
export function recordingCompletions(store: Synchronous<JobStore>, ledger: ProofLedger, loop: EventLoop): Synchronous<JobStore> {
  return {
    ...store,
    completeJob(runId, jobId, digest, now) {
      const completion = store.completeJob(runId, jobId, digest, now);
      ledger.completed(jobId, completion.first, loop.now);
      return completion;
    },
  };
}

/** The run as the planner records it, already proving at `startedAt`, due `deadlineSeconds` later. */
export function runRecord(plan: BlockPlan, bodyDigest: string, startedAt: number, deadlineSeconds: number): ProvingRun {
  const zero = `0x${'0'.repeat(64)}` as const;
  return {
    runId: plan.blockId,
    blockNumber: 1n,
    slot: 1n,
    bodyHash: zero,
    revealedIn: zero,
    bodyDigest,
    profile: plan.profile.name,
    txCount: plan.body.txs.length,
    jobCount: plan.size,
    criticalPathSeconds: plan.criticalPathSeconds,
    parentBlock: 0n,
    parentStateRoot: zero,
    newStateRoot: zero,
    proverId: '0x0000000000000000000000000000000000000001',
    reason: 'committed',
    exclusiveUntil: startedAt / SECOND + deadlineSeconds,
    provingDeadline: startedAt / SECOND + deadlineSeconds,
    state: 'proving',
    stateReason: '',
    rootDigest: '',
    l1TxHash: '',
    createdAt: startedAt,
    provingStartedAt: startedAt,
    rootProvenAt: 0,
    updatedAt: startedAt,
  };
}

export function settingsFor(model: SimModel, profile: string): RunSettings {
  return {
    proverId: '0x0000000000000000000000000000000000000001',
    profile,
    maxTxs: Number.MAX_SAFE_INTEGER,
    confirmations: 1,
    scaling: scalerSettingsFor(model),
    rescaleMs: model.scaling.tickSeconds * SECOND,
    submitRetryMs: 5_000,
  };
}

/**
 * The scaler reads only the L1 time (`latestTimestamp`), taken as simulated time; anything else an L1 port offers
 * is not modelled and throws if asked for.
 */
export function chainAt(now: () => number): RollupChain {
  const only = { latestTimestamp: async () => Math.floor(now() / SECOND) };
  return new Proxy(only, {
    get(target, key) {
      if (key in target) return target[key as keyof typeof target];
      if (key === 'then') return undefined;
      throw new Error(`the simulator does not model RollupChain.${String(key)}`);
    },
  }) as unknown as RollupChain;
}
