import { decodeBlockBodyBytes } from '../body/encodeBlockBody.js';
import { UnknownRunError } from '../errors/index.js';
import type { BlockPlan } from '../plan/blockPlan.js';
import { planBlock } from '../plan/planBlock.js';
import { getCircuitProfile } from '../profiles/getCircuitProfile.js';
import type { ArtifactStore } from '../ports/artifactStore.js';
import type { Clock } from '../ports/clock.js';
import type { JobStore } from '../ports/jobStore.js';
import type { ProvingRun } from '../ports/provingRun.js';

/** A run as an agent needs it: the record, and the block's plan rebuilt from the stored body. */
export interface RunContext {
  readonly run: ProvingRun;
  readonly plan: BlockPlan;
}

export interface RunContexts {
  /** The run and its plan; the plan is built once per run, the record re-read after `runTtlMs`. */
  get(runId: string): Promise<RunContext>;
}

export interface RunContextsParameters {
  readonly store: JobStore;
  readonly artifacts: ArtifactStore;
  readonly clock: Clock;
  /** How long a run record is trusted before it is read again (to notice an abandoned run). */
  readonly runTtlMs: number;
  /** Plans kept in memory; a 61,440-tx plan is about 20 MB. */
  readonly maxPlans: number;
  /**
   * Builds a run's plan from its stored body; by default the body is decoded and planned. The simulator brings its
   * own (one plan shared by every agent, its build time simulated).
   */
  readonly buildPlan?: (run: ProvingRun, body: Uint8Array) => Promise<BlockPlan>;
}

/** Whether a run record read at `readAt` is still trusted at `now` (after `runTtlMs` it is read again). */
export function runRecordFresh(readAt: number, now: number, runTtlMs: number): boolean {
  return now - readAt < runTtlMs;
}

/**
 * Agents carry no plan in their messages: a plan is a pure function of the body, so each agent rebuilds it once
 * per run from the body artifact and keeps the most recent few.
 */
export function createRunContexts({ store, artifacts, clock, runTtlMs, maxPlans, buildPlan = planFromBody }: RunContextsParameters): RunContexts {
  const plans = new Map<string, Promise<BlockPlan>>();
  const runs = new Map<string, { run: ProvingRun; readAt: number }>();

  async function readRun(runId: string): Promise<ProvingRun> {
    const cached = runs.get(runId);
    if (cached && runRecordFresh(cached.readAt, clock.now(), runTtlMs)) return cached.run;
    const run = await store.getRun(runId);
    if (!run) throw new UnknownRunError(runId);
    runs.set(runId, { run, readAt: clock.now() });
    return run;
  }

  async function planOf(run: ProvingRun): Promise<BlockPlan> {
    return buildPlan(run, await artifacts.get(run.bodyDigest));
  }

  return {
    async get(runId) {
      const run = await readRun(runId);
      let plan = plans.get(runId);
      if (!plan) {
        plan = planOf(run);
        plans.set(runId, plan);
        plan.catch(() => plans.delete(runId));
        while (plans.size > maxPlans) plans.delete(plans.keys().next().value!);
      }
      return { run, plan: await plan };
    },
  };
}

/** A run's plan, rebuilt from its body bytes (a plan is a pure function of the body). */
async function planFromBody(run: ProvingRun, bytes: Uint8Array): Promise<BlockPlan> {
  const profile = getCircuitProfile(run.profile);
  return planBlock(decodeBlockBodyBytes(bytes, profile), profile, { blockId: run.runId, trusted: true });
}
