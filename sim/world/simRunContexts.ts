import { runRecordFresh, type RunContexts } from '../../core/run/runContexts.js';
import { UnknownRunError } from '../../core/errors/index.js';
import type { ArtifactStore } from '../../core/ports/artifactStore.js';
import type { Clock } from '../../core/ports/clock.js';
import type { JobStore } from '../../core/ports/jobStore.js';
import type { ProvingRun } from '../../core/ports/provingRun.js';
import type { BlockPlan } from '../../core/plan/blockPlan.js';

export interface SimRunContextsParameters {
  readonly store: JobStore;
  readonly artifacts: ArtifactStore;
  readonly clock: Clock;
  readonly runTtlMs: number;
  /** The plan every agent would rebuild; built once for the whole simulation. */
  readonly plan: BlockPlan;
  /** Simulated time to plan the block once the body is fetched (real planning would cost real CPU per agent). */
  readonly planBuildMs: () => number;
}

/**
 * `createRunContexts` as one agent experiences it: the same requests in the same order (the run record, re-read
 * after `runTtlMs`; the body from S3 once per run), but the plan is shared and its build time is simulated, since
 * 40,000 agents replanning a 368,639-job block for real would take hours of CPU.
 */
export function simRunContexts({ store, artifacts, clock, runTtlMs, plan, planBuildMs }: SimRunContextsParameters): RunContexts {
  let cached: { run: ProvingRun; readAt: number } | null = null;
  let built: Promise<BlockPlan> | null = null;

  async function readRun(runId: string): Promise<ProvingRun> {
    if (cached && runRecordFresh(cached.readAt, clock.now(), runTtlMs)) return cached.run;
    const run = await store.getRun(runId);
    if (!run) throw new UnknownRunError(runId);
    cached = { run, readAt: clock.now() };
    return run;
  }

  async function buildPlan(run: ProvingRun): Promise<BlockPlan> {
    await artifacts.get(run.bodyDigest);
    await clock.sleep(planBuildMs());
    return plan;
  }

  return {
    async get(runId) {
      const run = await readRun(runId);
      built ??= buildPlan(run);
      return { run, plan: await built };
    },
  };
}
