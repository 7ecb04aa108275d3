import type { AgentEvent } from '../core/agent/handleDelivery.js';
import type { Tier } from '../core/tiers.js';

/** Proofs done per run, by tier and by kind, as agents report them; what the live view draws. */
export interface RunProgress {
  readonly done: Record<Tier, number>;
  readonly byKind: Record<string, number>;
  /** Wall times of recent completions, for the rate behind the ETA. */
  readonly recent: number[];
  total: number;
}

/** Every first proof of one kind so far: how long agents took and how large the proofs were. */
export interface KindStats {
  readonly count: number;
  readonly totalMs: number;
  readonly maxMs: number;
  readonly bytes: number;
}

export interface ProgressTracker {
  record(event: AgentEvent, now: number): void;
  /** Counts the proofs a resumed run had before this process started (read from its store). */
  resume(runId: string, done: Readonly<Record<Tier, number>>): void;
  of(runId: string): RunProgress;
  /** Completions per second over the last few seconds. */
  rate(runId: string, now: number): number;
  /** Per proof kind, across runs. */
  byKind(): Readonly<Record<string, KindStats>>;
}

const RATE_WINDOW_MS = 3_000;

export function createProgressTracker(): ProgressTracker {
  const runs = new Map<string, RunProgress>();
  const kinds: Record<string, KindStats> = {};
  const of = (runId: string) => {
    let progress = runs.get(runId);
    if (!progress) {
      progress = { done: { heavy: 0, light: 0 }, byKind: {}, recent: [], total: 0 };
      runs.set(runId, progress);
    }
    return progress;
  };
  return {
    record(event, now) {
      if (event.type !== 'proved' || !event.first) return;
      const progress = of(event.runId);
      progress.done[event.tier]++;
      progress.byKind[event.kind] = (progress.byKind[event.kind] ?? 0) + 1;
      progress.total++;
      progress.recent.push(now);
      const kind = kinds[event.kind] ?? { count: 0, totalMs: 0, maxMs: 0, bytes: 0 };
      kinds[event.kind] = { count: kind.count + 1, totalMs: kind.totalMs + event.ms, maxMs: Math.max(kind.maxMs, event.ms), bytes: event.bytes };
      while (progress.recent.length > 0 && progress.recent[0]! < now - RATE_WINDOW_MS) progress.recent.shift();
    },
    resume(runId, done) {
      const progress = of(runId);
      progress.done.heavy += done.heavy;
      progress.done.light += done.light;
      progress.total += done.heavy + done.light;
    },
    of,
    rate(runId, now) {
      const recent = of(runId).recent.filter((at) => at >= now - RATE_WINDOW_MS);
      return recent.length / (RATE_WINDOW_MS / 1000);
    },
    byKind: () => kinds,
  };
}
