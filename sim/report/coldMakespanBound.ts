import type { BlockPlan } from '../../core/plan/blockPlan.js';
import type { LaunchRate } from '../../core/scale/launchRate.js';
import { TIERS, type Tier } from '../../core/tiers.js';
import { InvalidLaunchRateError } from '../errors/index.js';
import { earliestStarts } from './earliestStarts.js';

/** The earliest a block started from no agent at all can be proven, given how fast EC2 lets its fleet come up. */
export interface ColdMakespanBound {
  /**
   * No schedule proves the root sooner with every start-up `startupSeconds` and every proof its expected time (seconds
   * from the start of proving); a run whose instances come up faster than the mean can (see `coldMakespanBound`).
   */
  readonly makespanSeconds: number;
  /** The least it could be with instances launched at will: start-up plus the critical path. */
  readonly criticalPathSeconds: number;
  /** Seconds from asking for an instance to its agents' first poll, the same for every instance (the rate's). */
  readonly startupSeconds: number;
  /**
   * What sets the bound: 'critical path' (the launch rate does not bind), 'launch rate, pooled' (all the work due by
   * some time cannot be done on the instances launched by then, even if any instance could serve either tier), or
   * 'launch rate, per tier' (the heavy work due by one time and the light work due by a later one cannot both be
   * done when each instance serves one tier).
   */
  readonly binding: 'critical path' | 'launch rate, pooled' | 'launch rate, per tier';
}

export interface ColdMakespanBoundParameters {
  /**
   * The part of `rate.startupSeconds` before an instance's RunInstances token (in the simulator, Batch scheduling:
   * `meanStartup(model).beforeTokenSeconds`): a launch that waits for a token has spent it while waiting.
   */
  readonly beforeTokenSeconds: number;
}

/** Work of one tier that can start no sooner than `release` and must end `tail` seconds before the makespan. */
interface Group {
  readonly tier: Tier;
  readonly release: number;
  /** Expected seconds of one of its jobs (the group's jobs are alike). */
  readonly seconds: number;
  readonly tail: number;
  /** Instance-seconds: job-seconds ÷ the tier's agents per instance. */
  readonly work: number;
}

/**
 * A lower bound on the makespan of `plan` proven from a cold start under a launch rate: EC2's RunInstances bucket
 * (`burstInstances` at once, then `instancesPerSecond`, shared by both tiers), each instance hosting
 * `agentsPerInstance[tier]` agents of one tier from `startupSeconds` after its launch. Each job has a window: it
 * starts no sooner than its children could be done with every agent up at `startupSeconds` (expected durations), and
 * ends its path's remaining time before the makespan. With work treated as fluid (no 30-second rounds, no spread, no
 * request latency, no idle agent, no quota), a makespan is possible only if
 * - pooled: for every window, the work that must run inside it fits on the instance-seconds the bucket can have
 *   running inside it, as if any instance could serve either tier; and
 * - per tier: for every time τH and later τL, the heavy work due by τH fits on heavy instances and the light work
 *   released after σL and due by τL on light ones, the bucket's instances split between the tiers at best (heavy
 *   takes the earliest: a slot's worth to heavy falls faster with its launch time than its worth to light).
 * Both are necessary, so the least makespan that passes them (found by bisection; each only gets easier with a later
 * makespan) is a bound no scheduler can beat on this model with mean start-ups and expected proof times. It is not a
 * bound on one sampled run: start-ups vary (~11 s standard deviation in the simulator's model), so when the critical
 * path binds (a small block) a run whose first instances come up fast beats it (16 txs, default model: 5 of 12 seeds,
 * by up to 21 s). A refill instance is up `startupSeconds − beforeTokenSeconds` after its token, as in the simulated
 * fleet (`sim/world/fleet.ts`: Batch schedules the child, then it waits for the token), not a whole start-up after it.
 */
export function coldMakespanBound(plan: BlockPlan, rate: LaunchRate, { beforeTokenSeconds }: ColdMakespanBoundParameters): ColdMakespanBound {
  checkLaunchRate(rate, beforeTokenSeconds);
  const startup = rate.startupSeconds;
  const slots = () => new Slots(rate, startup, beforeTokenSeconds);
  const groups = groupWork(plan, rate, startup);
  const criticalPath = Math.max(...groups.map((group) => group.release + group.seconds + group.tail));
  const feasible = (makespan: number) => pooledFits(groups, slots(), makespan) && tiersFit(groups, slots(), makespan);
  if (feasible(criticalPath)) return { makespanSeconds: criticalPath, criticalPathSeconds: criticalPath, startupSeconds: startup, binding: 'critical path' };
  let low = criticalPath;
  let high = 2 * criticalPath;
  while (!feasible(high)) {
    low = high;
    high *= 2;
  }
  while (high - low > 0.05) {
    const mid = (low + high) / 2;
    if (feasible(mid)) high = mid;
    else low = mid;
  }
  const binding = pooledFits(groups, slots(), high - 0.1) ? 'launch rate, per tier' : 'launch rate, pooled';
  return { makespanSeconds: high, criticalPathSeconds: criticalPath, startupSeconds: startup, binding };
}

/** A rate under which no makespan passes (no instance ever, or none hosting an agent) would leave the search unending. */
function checkLaunchRate(rate: LaunchRate, beforeTokenSeconds: number): void {
  if (!Number.isFinite(rate.startupSeconds) || rate.startupSeconds < 0) throw new InvalidLaunchRateError(rate, 'start-up must be a finite number of seconds ≥ 0');
  if (!(beforeTokenSeconds >= 0 && beforeTokenSeconds <= rate.startupSeconds)) {
    throw new InvalidLaunchRateError(rate, `the start-up before the token (${beforeTokenSeconds} s) must be between 0 and the start-up`);
  }
  if (!(rate.burstInstances >= 1 || rate.instancesPerSecond > 0)) throw new InvalidLaunchRateError(rate, 'launches no instance: no burst and no refill');
  if (!Number.isFinite(rate.instancesPerSecond) || rate.instancesPerSecond < 0) throw new InvalidLaunchRateError(rate, 'refill must be a finite rate ≥ 0');
  for (const tier of TIERS) {
    if (!(rate.agentsPerInstance[tier] >= 1)) throw new InvalidLaunchRateError(rate, `an instance hosts no ${tier} agent`);
  }
}

/** The block's work grouped by tier, release and tail (a few hundred groups for any block). */
function groupWork(plan: BlockPlan, rate: LaunchRate, startup: number): Group[] {
  const earliest = earliestStarts(plan, startup);
  const byKey = new Map<string, { tier: Tier; release: number; seconds: number; tail: number; work: number }>();
  for (let job = 0; job < plan.size; job++) {
    const ready = earliest[job]!;
    const tier = plan.profile.kinds[plan.kinds[plan.kindCodes[job]!]!]!.tier;
    const seconds = plan.expectedSeconds[job]!;
    const tail = plan.remainingSeconds[job]! - seconds;
    const key = `${tier}/${ready}/${seconds}/${tail}`;
    const group = byKey.get(key) ?? { tier, release: ready, seconds, tail, work: 0 };
    group.work += seconds / rate.agentsPerInstance[tier];
    byKey.set(key, group);
  }
  return [...byKey.values()];
}

/**
 * When the bucket's instances are up: `burstInstances` at `startup`, then refill instance k (k = 1, 2, …) at
 * max(startup, startup − before + k / `instancesPerSecond`): its token comes k / rate after the first draw, and only
 * the part of the start-up after the token (`startup − before`) follows it, the part before overlapping the wait.
 */
class Slots {
  private readonly up: number[] = [];
  private readonly prefix: number[] = [0];

  constructor(
    private readonly rate: LaunchRate,
    private readonly startup: number,
    private readonly before: number,
  ) {}

  /** How many instances are up before `time` (extending the list as needed). */
  countBefore(time: number): number {
    if (time <= this.startup) return 0;
    // Refill instance k is up before `time` when startup − before + k / rate < time.
    const count = this.rate.burstInstances + Math.max(0, Math.ceil((time - this.startup + this.before) * this.rate.instancesPerSecond) - 1);
    while (this.up.length < count) {
      const i = this.up.length;
      const refill = i < this.rate.burstInstances ? 0 : i - this.rate.burstInstances + 1;
      const at = refill === 0 ? this.startup : Math.max(this.startup, this.startup - this.before + refill / this.rate.instancesPerSecond);
      this.up.push(at);
      this.prefix.push(this.prefix[i]! + at);
    }
    return count;
  }

  /** Instance-seconds within [from, to) of instances `first` … `last − 1` (all up before `to`). */
  seconds(first: number, last: number, from: number, to: number): number {
    if (last <= first || to <= from) return 0;
    // Instances up before `from` give the whole window; the others from their start.
    const early = Math.min(last, Math.max(first, this.countBefore(from)));
    const whole = (early - first) * (to - from);
    return whole + (last - early) * to - (this.prefix[last]! - this.prefix[early]!);
  }
}

function pooledFits(groups: readonly Group[], slots: Slots, makespan: number): boolean {
  const releases = [...new Set(groups.map((group) => group.release))].sort((a, b) => a - b);
  const byDue = [...groups].sort((a, b) => makespan - a.tail - (makespan - b.tail));
  for (const from of releases) {
    let work = 0;
    for (const group of byDue) {
      if (group.release < from) continue;
      work += group.work;
      const due = makespan - group.tail;
      if (due <= from) return false;
      if (work > slots.seconds(0, slots.countBefore(due), from, due) + 1e-6) return false;
    }
  }
  return true;
}

function tiersFit(groups: readonly Group[], slots: Slots, makespan: number): boolean {
  const of = (tier: Tier) => groups.filter((group) => group.tier === tier);
  const [heavyTier, lightTier] = TIERS;
  const heavy = of(heavyTier!);
  const light = of(lightTier!);
  const heavyDues = [...new Set(heavy.map((group) => makespan - group.tail))].sort((a, b) => a - b);
  const lightReleases = [...new Set(light.map((group) => group.release))].sort((a, b) => a - b);
  const lightDues = [...new Set(light.map((group) => makespan - group.tail))].sort((a, b) => a - b);
  for (const heavyDue of heavyDues) {
    const heavyWork = heavy.reduce((total, group) => (makespan - group.tail <= heavyDue ? total + group.work : total), 0);
    // The fewest of the earliest instances that do the heavy work due by then.
    const available = slots.countBefore(heavyDue);
    if (slots.seconds(0, available, 0, heavyDue) + 1e-6 < heavyWork) return false;
    let low = 0;
    let high = available;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (slots.seconds(0, mid, 0, heavyDue) + 1e-6 >= heavyWork) high = mid;
      else low = mid + 1;
    }
    const taken = low;
    // Heavy needs only part of its last instance: the rest of it is light's (a fractional split, so still a bound).
    const spare = taken === 0 ? 0 : Math.max(0, slots.seconds(0, taken, 0, heavyDue) - heavyWork) / Math.max(1e-9, slots.seconds(taken - 1, taken, 0, heavyDue));
    for (const from of lightReleases) {
      for (const lightDue of lightDues) {
        if (lightDue < heavyDue || lightDue <= from) continue;
        const lightWork = light.reduce(
          (total, group) => (group.release >= from && makespan - group.tail <= lightDue ? total + group.work : total),
          0,
        );
        if (lightWork === 0) continue;
        const up = slots.countBefore(lightDue);
        const shared = taken === 0 ? 0 : spare * slots.seconds(taken - 1, taken, from, lightDue);
        if (slots.seconds(taken, Math.max(taken, up), from, lightDue) + shared + 1e-6 < lightWork) return false;
      }
    }
  }
  return true;
}
