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
  /** Plans kept per agent (the oldest is dropped past this many), as `createRunContexts` keeps them. */
  readonly maxPlans: number;
  /** The plan every agent would rebuild for a run; built once per run for the whole simulation. */
  readonly planOf: (runId: string) => BlockPlan;
  /** Simulated time to plan the block once the body is fetched (real planning would cost real CPU per agent). */
  readonly planBuildMs: () => number;
}

/**
 * `createRunContexts` as one agent experiences it: the same requests in the same order (each run's record, re-read
 * after `runTtlMs`; its body from S3 once per run while its plan is kept), but the plans are shared and their build
 * time is simulated, since 40,000 agents replanning a 368,639-job block for real would take hours of CPU.
 */
export function simRunContexts({ store, artifacts, clock, runTtlMs, maxPlans, planOf, planBuildMs }: SimRunContextsParameters): RunContexts {
  const runs = new Map<string, { run: ProvingRun; readAt: number }>();
  const plans = new Map<string, Promise<BlockPlan>>();

  async function readRun(runId: string): Promise<ProvingRun> {
    const cached = runs.get(runId);
    if (cached && runRecordFresh(cached.readAt, clock.now(), runTtlMs)) return cached.run;
    const run = await store.getRun(runId);
    if (!run) throw new UnknownRunError(runId);
    runs.set(runId, { run, readAt: clock.now() });
    return run;
  }

  async function buildPlan(run: ProvingRun): Promise<BlockPlan> {
    await artifacts.get(run.bodyDigest);
    await clock.sleep(planBuildMs());
    return planOf(run.runId);
  }

  return {
    async get(runId) {
      const run = await readRun(runId);
      let plan = plans.get(runId);
      if (!plan) {
        plan = buildPlan(run);
        plans.set(runId, plan);
        while (plans.size > maxPlans) plans.delete(plans.keys().next().value!);
      }
      return { run, plan: await plan };
    },
  };
}
