import type { BlockPlan } from '../plan/blockPlan.js';
import { TIERS, type Tier } from '../tiers.js';
import { countAtOrBelow } from './countAtOrBelow.js';
import type { SourceJobs } from './sourceJobs.js';

/** Agents serving a tier's source jobs: some from the start, more from `laterAt` (when new ones would arrive). */
export interface SourceCapacity {
  readonly now: number;
  readonly later: number;
  readonly laterAt: number;
}

/** The schedule the scaler aims for, on the run's own time axis (seconds since proving started). */
export interface ReferenceSchedule {
  readonly makespanSeconds: number;
  /** The most agents of `tier` proving at any second in [from, to]. */
  peakBusy(tier: Tier, from: number, to: number): number;
  /** Jobs of `tier` ready but not started at `seconds`. */
  queued(tier: Tier, seconds: number): number;
  /** When the `count`-th source job of the tier starts (0 for none; Infinity past the last). */
  timeWhenSourcesStarted(tier: Tier, count: number): number;
  /** Agent-seconds of `tier` the schedule still proves from `seconds` on (whole seconds; all of it if it never ends). */
  remainingWork(tier: Tier, seconds: number): number;
}

/**
 * Simulates the block with expected durations as the scaler means to run it: each tier's source jobs are served
 * in queue order by the given capacity (list scheduling), every other job starts as soon as its children are done
 * (its tier is sized to keep up). The result says how many agents each tier needs when, and where a run that is on
 * plan would be.
 */
export function referenceSchedule(
  plan: BlockPlan,
  sources: Readonly<Record<Tier, SourceJobs>>,
  capacity: Readonly<Record<Tier, SourceCapacity>>,
): ReferenceSchedule {
  const start = new Float64Array(plan.size).fill(-1);
  const end = new Float64Array(plan.size);
  const sourceStarts = {} as Record<Tier, Float64Array>;
  for (const tier of TIERS) {
    const { jobs, seconds } = sources[tier];
    const slots = new SlotHeap(capacity[tier]);
    const starts = new Float64Array(jobs.length);
    for (let i = 0; i < jobs.length; i++) {
      const at = slots.take();
      if (at === Infinity) {
        starts.fill(Infinity, i);
        for (let j = i; j < jobs.length; j++) start[jobs[j]!] = end[jobs[j]!] = Infinity;
        break;
      }
      starts[i] = at;
      start[jobs[i]!] = at;
      end[jobs[i]!] = at + seconds[i]!;
      slots.free(end[jobs[i]!]!);
    }
    sourceStarts[tier] = starts;
  }
  let makespan = 0;
  for (let job = 0; job < plan.size; job++) {
    if (start[job]! < 0) {
      let ready = 0;
      for (let d = plan.depOffsets[job]!; d < plan.depOffsets[job + 1]!; d++) ready = Math.max(ready, end[plan.depList[d]!]!);
      start[job] = ready;
      end[job] = ready + plan.expectedSeconds[job]!;
    }
    makespan = Math.max(makespan, end[job]!);
  }

  const horizon = Number.isFinite(makespan) ? Math.ceil(makespan) + 2 : 0;
  const tierOfKind = plan.kinds.map((kind) => plan.profile.kinds[kind]!.tier);
  const busy: Record<Tier, Int32Array> = { heavy: new Int32Array(horizon + 1), light: new Int32Array(horizon + 1) };
  if (horizon > 0) {
    for (let job = 0; job < plan.size; job++) {
      const counts = busy[tierOfKind[plan.kindCodes[job]!]!];
      // Whole seconds, rounded the same way at both ends, so back-to-back jobs never overlap.
      counts[Math.round(start[job]!)]!++;
      counts[Math.min(horizon, Math.round(end[job]!))]!--;
    }
    for (const tier of TIERS) for (let s = 1; s <= horizon; s++) busy[tier][s]! += busy[tier][s - 1]!;
  }
  // Agent-seconds from each second on: a suffix sum of the busy counts.
  const after = {} as Record<Tier, Float64Array>;
  for (const tier of TIERS) {
    const suffix = new Float64Array(horizon + 2);
    for (let s = horizon; s >= 0; s--) suffix[s] = suffix[s + 1]! + busy[tier][s]!;
    after[tier] = suffix;
  }
  const totalWork = { heavy: 0, light: 0 };
  for (let job = 0; job < plan.size; job++) totalWork[tierOfKind[plan.kindCodes[job]!]!] += plan.expectedSeconds[job]!;

  return {
    makespanSeconds: makespan,
    peakBusy(tier, from, to) {
      const counts = busy[tier];
      let peak = 0;
      for (let s = Math.max(0, Math.floor(from)); s <= Math.min(horizon, Math.ceil(to)); s++) peak = Math.max(peak, counts[s]!);
      return peak;
    },
    queued: (tier, seconds) => sourceStarts[tier].length - countAtOrBelow(sourceStarts[tier], seconds),
    remainingWork(tier, seconds) {
      if (horizon === 0) return totalWork[tier];
      return after[tier][Math.min(horizon + 1, Math.max(0, Math.round(seconds)))]!;
    },
    timeWhenSourcesStarted(tier, count) {
      const starts = sourceStarts[tier];
      if (count <= 0) return 0;
      return count > starts.length ? Infinity : starts[count - 1]!;
    },
  };
}

/** When each agent of a tier is next free: a min-heap of times. */
class SlotHeap {
  private readonly times: number[] = [];

  constructor(capacity: SourceCapacity) {
    for (let i = 0; i < capacity.now; i++) this.times.push(0);
    for (let i = 0; i < capacity.later; i++) this.times.push(capacity.laterAt);
    this.times.sort((a, b) => a - b);
  }

  /** The earliest free time (Infinity when the tier has no agent at all), removing it. */
  take(): number {
    const times = this.times;
    if (times.length === 0) return Infinity;
    const top = times[0]!;
    const last = times.pop()!;
    if (times.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= times.length) break;
        const child = left + 1 < times.length && times[left + 1]! < times[left]! ? left + 1 : left;
        if (times[child]! >= last) break;
        times[i] = times[child]!;
        i = child;
      }
      times[i] = last;
    }
    return top;
  }

  free(at: number): void {
    const times = this.times;
    let i = times.length;
    times.push(at);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (times[parent]! <= at) break;
      times[i] = times[parent]!;
      i = parent;
    }
    times[i] = at;
  }
}
