import type { BlockPlan } from '../../core/plan/blockPlan.js';
import { TIERS, type Tier } from '../../core/tiers.js';
import { meanOf } from '../model/distribution.js';
import { meanStartup } from '../model/startup.js';
import { earliestStarts } from './earliestStarts.js';
import { agentUsdPerHour } from '../model/instanceSlots.js';
import type { SimModel } from '../model/model.js';

export interface CostFloorParameters {
  /** The makespan every schedule must meet (seconds from the start of proving). */
  readonly makespanSeconds: number;
  /** The earliest an agent can be working (0 when the fleet is already up). */
  readonly arrivalSeconds: number;
}

/** The least compute any schedule that meets a makespan can cost on this model (see `costFloor`). */
export interface CostFloor {
  readonly makespanSeconds: number;
  /** The fewest instances of each tier that can do the tier's work in its windows. */
  readonly instances: Readonly<Record<Tier, number>>;
  /**
   * What each instance pays at least beyond proving: its start (boot, image pull, container start), Batch's scale-in
   * and the plan build.
   */
  readonly overheadSecondsPerInstance: number;
  /** Of that overhead, the start: boot, image pull and container start. */
  readonly startSecondsPerInstance: number;
  /** Expected job-seconds at Spot prices: the lower bound with the profile's durations. */
  readonly lowerBoundUsd: number;
  /** The floor, every instance billed from its own start (as the model bills the warm fleet and launched instances alike). */
  readonly usd: number;
  /**
   * The floor with the instances' start charged to nobody: what it was before the warm fleet's start was counted (an
   * instance a previous block left up started for that block). Below `usd` by the fewest instances × their start.
   */
  readonly usdWithoutStart: number;
}

/**
 * A floor under the compute cost of proving `plan` within a makespan, however it is scheduled. Each job has a
 * window: it cannot start before agents arrive or its children could be done (expected durations, as soon as
 * possible, the arrival carried through the graph: `earliestStarts`), and it must end its path's remaining time
 * before the makespan. Treating work as fluid (no 30-second rounds, no proof-time spread, no request latency, no
 * idle agent), a tier needs at least as many instances as the work due in any window divided by that window's length; each pays at least the model's mean
 * scale-in and plan build, and its start — boot, image pull and container start — whether it was launched for the
 * block or is a warm one up at t = 0: the model bills a warm agent's instance from its own start too, so a fleet
 * kept warm does not escape it (`usdWithoutStart` is the floor without it). At Spot prices. Real schedules cost
 * more: this only says how far the cost target is reachable at all while meeting its makespan target.
 */
export function costFloor(plan: BlockPlan, model: SimModel, { makespanSeconds, arrivalSeconds }: CostFloorParameters): CostFloor {
  const tierOfKind = plan.kinds.map((kind) => plan.profile.kinds[kind]!.tier);
  const earliest = earliestStarts(plan, arrivalSeconds);
  const start = meanStartup(model).billedSeconds;
  const overhead = start + meanOf(model.ec2.scaleInSeconds) + meanOf(model.agent.planBuildSeconds);
  const instances = {} as Record<Tier, number>;
  let usd = 0;
  let startUsd = 0;
  let lowerBoundUsd = 0;
  for (const tier of TIERS) {
    const jobs: number[] = [];
    for (let job = 0; job < plan.size; job++) if (tierOfKind[plan.kindCodes[job]!] === tier) jobs.push(job);
    const release = (job: number) => earliest[job]!;
    const due = (job: number) => makespanSeconds - plan.remainingSeconds[job]! + plan.expectedSeconds[job]!;
    jobs.sort((a, b) => due(a) - due(b));
    let needed = 0;
    for (const from of new Set(jobs.map(release))) {
      let work = 0;
      for (const job of jobs) {
        if (release(job) < from) continue;
        work += plan.expectedSeconds[job]!;
        needed = Math.max(needed, work / Math.max(due(job) - from, 1e-9));
      }
    }
    instances[tier] = Math.ceil(needed);
    const perSecond = agentUsdPerHour(model, tier).spot / 3_600;
    const work = jobs.reduce((total, job) => total + plan.expectedSeconds[job]!, 0);
    lowerBoundUsd += work * perSecond;
    usd += (work + instances[tier] * overhead) * perSecond;
    startUsd += instances[tier] * start * perSecond;
  }
  return {
    makespanSeconds,
    instances,
    overheadSecondsPerInstance: overhead,
    startSecondsPerInstance: start,
    lowerBoundUsd,
    usd,
    usdWithoutStart: usd - startUsd,
  };
}
