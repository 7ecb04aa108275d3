import type { BlockPlan } from '../../core/plan/blockPlan.js';
import { depsOf, jobIdAt } from '../../core/plan/jobAt.js';
import { seededRandom } from '../../core/random/seededRandom.js';
import { TIERS, type Tier } from '../../core/tiers.js';
import { costBreakdown, type CostBreakdown } from '../report/costBreakdown.js';
import { sample } from '../model/distribution.js';
import { EventLoop, SIM_EPOCH_MS } from '../engine/eventLoop.js';
import { createFleet, type AgentHandle, type Fleet, type FleetAgent } from '../world/fleet.js';
import type { SimModel } from '../model/model.js';
import { proofSeconds } from '../model/proofSeconds.js';
import { hashText } from '../model/stableHash.js';

export interface LevelWalkOutcome {
  /** Seconds to the root proof; null if it did not come within the simulation's limit. */
  readonly makespanSeconds: number | null;
  readonly computeCostUsd: number;
  /** The bill by what the instance time went to (a job's whole run counts as proving: it does nothing else). */
  readonly costBreakdown: CostBreakdown;
  readonly levels: number;
  readonly submitJobs: number;
  readonly wallMs: number;
}

/** How the level walk submits a level: one SubmitJob per proof, or one array job (≤ 10,000 children) per tier. */
export type LevelWalkSubmission = 'job-per-proof' | 'array-per-level';

/**
 * The naive serverless baseline: one AWS Batch job per proof, submitted level by level (a level is submitted once
 * the one below it is done, as a Step Functions Map per level would), either as one SubmitJob per proof or, the fair
 * variant, as one array job per level and tier (each child proves the proof at its index). Each job goes through the SubmitJob rate
 * limit, Batch's scheduler and, when no idle instance of its tier is left, an instance launch; it reads its
 * children's proofs, proves (the same durations the agents draw) and writes its proof. Same fleet model, same prices;
 * it starts from an empty compute environment in every scenario and sees only the background Spot reclaims (a
 * reclaimed job is submitted again).
 */
export async function simulateLevelWalk(
  plan: BlockPlan,
  model: SimModel,
  seed: string,
  submission: LevelWalkSubmission = 'job-per-proof',
): Promise<LevelWalkOutcome> {
  const started = performance.now();
  const loop = new EventLoop();
  const random = seededRandom(`${seed}/level-walk`);
  const seedKey = hashText(seed);
  const tierOf = plan.kinds.map((kind) => plan.profile.kinds[kind]!.tier);
  const tier = (job: number): Tier => tierOf[plan.kindCodes[job]!]!;
  const levels = levelsOf(plan);
  const byLevel: number[][] = [];
  for (let job = 0; job < plan.size; job++) (byLevel[levels[job]!] ??= []).push(job);
  const attempts = new Uint16Array(plan.size);
  let level = 0;
  let left = 0;
  let rootAt: number | null = null;
  let submitJobs = 0;
  const latency = model.latencyMs;

  const submitLevel = () => {
    const jobs = byLevel[level]!;
    left = jobs.length;
    if (submission === 'job-per-proof') {
      for (const job of jobs) submit(job);
      return;
    }
    for (const tierName of TIERS) {
      const mine = jobs.filter((job) => tier(job) === tierName);
      if (mine.length === 0) continue;
      submitJobs += Math.ceil(mine.length / model.batch.maxArraySize);
      fleet.submitArray(tierName, true, mine);
    }
  };
  const submit = (job: number) => {
    submitJobs++;
    fleet.submit(tier(job), true, job);
  };
  const run = (agent: FleetAgent): AgentHandle => {
    const job = agent.payload;
    let busy = true;
    let cancelled = false;
    const reads = depsOf(plan, job).length;
    let ms = 0;
    for (let i = 0; i < reads; i++) ms += sample(latency.s3Get, random);
    const attempt = attempts[job]!++;
    ms += proofSeconds(plan.expectedSeconds[job]!, model.proofs.spreadSigma, seedKey, hashText(jobIdAt(plan, job)), attempt) * 1_000;
    ms += sample(latency.s3Put, random) + sample(latency.dynamodb, random);
    const done = loop.after(ms, () => {
      busy = false;
      fleet.agentExited(agent);
      if (plan.parents[job] === -1) rootAt = loop.now;
      if (--left === 0 && ++level < byLevel.length) submitLevel();
    });
    const interrupted = () => {
      if (cancelled) return;
      cancelled = true;
      busy = false;
      done.cancelled = true;
      submit(job);
    };
    const stop = () => {
      interrupted();
      fleet.agentExited(agent);
    };
    // A plain Batch job per proof is not the agent: it has no notice rule, and its proof is submitted again at once.
    return {
      stop,
      notice: stop,
      kill: interrupted,
      get busy() {
        return busy;
      },
    };
  };
  const fleet: Fleet = createFleet({ loop, model, seedKey: hashText(`${seed}/level-walk/fleet`), spawn: run, warmUntil: -Infinity });

  submitLevel();
  await loop.run({
    until: () => rootAt !== null && fleet.idle(),
    limitMs: SIM_EPOCH_MS + 30 * 24 * 3_600_000,
    settleEveryEvent: false,
  });
  return {
    makespanSeconds: rootAt === null ? null : (rootAt - SIM_EPOCH_MS) / 1_000,
    computeCostUsd: fleet.bills().reduce((total, bill) => total + bill.usd, 0),
    costBreakdown: costBreakdown({ instances: fleet.instances, agents: fleet.agents, model, now: loop.now }),
    levels: byLevel.length,
    submitJobs,
    wallMs: performance.now() - started,
  };
}

/** Each job's level: 0 for jobs without children, else one above its highest child. */
function levelsOf(plan: BlockPlan): Int32Array {
  const levels = new Int32Array(plan.size);
  for (let job = 0; job < plan.size; job++) {
    let level = 0;
    for (const dep of depsOf(plan, job)) level = Math.max(level, levels[dep]! + 1);
    levels[job] = level;
  }
  return levels;
}
