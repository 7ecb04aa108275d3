import type { ProvingRun } from '../core/ports/provingRun.js';
import type { Tier } from '../core/tiers.js';
import type { RunProgress } from './progressTracker.js';

/** What one frame of the devnet's view shows. */
export interface DevnetSnapshot {
  readonly header: string;
  readonly firms: readonly {
    readonly name: string;
    readonly proverId: string;
    readonly paused: boolean;
    readonly agents: Readonly<Record<Tier, { readonly running: number; readonly busy: number; readonly max: number }>>;
  }[];
  /** Our firm's runs, newest first. */
  readonly runs: readonly { readonly run: ProvingRun; readonly progress: RunProgress; readonly rate: number }[];
  readonly timeScale: number;
  readonly now: number;
  readonly footer: string;
}

const BAR_WIDTH = 24;

/** A frame for a terminal: header, agents per tier, one line per recent block with a progress bar and ETA. */
export function renderFrame(snapshot: DevnetSnapshot, width: number): string[] {
  const lines = [snapshot.header];
  for (const firm of snapshot.firms) {
    const tiers = (['heavy', 'light'] as const)
      .map((tier) => {
        const agents = firm.agents[tier];
        return `${tier} ${agents.busy}/${agents.running} busy of ${agents.max} ${bar(agents.max === 0 ? 0 : agents.busy / agents.max, 8)}`;
      })
      .join('   ');
    lines.push(`${firm.name.padEnd(9)} ${firm.proverId.slice(0, 10)}…  ${firm.paused ? 'PAUSED  ' : ''}${tiers}`);
  }
  lines.push('');
  lines.push('block   txs   jobs  state        progress                              tiers (heavy · light)   ETA / result');
  for (const { run, progress, rate } of snapshot.runs.slice(0, 8)) {
    const fraction = run.jobCount === 0 ? 0 : Math.min(1, progress.total / run.jobCount);
    const result = outcome(run, progress, rate, snapshot);
    lines.push(
      [
        String(run.blockNumber).padStart(5),
        String(run.txCount).padStart(5),
        String(run.jobCount).padStart(6),
        ` ${run.state.padEnd(12)}`,
        `${bar(fraction, BAR_WIDTH)} ${String(Math.round(fraction * 100)).padStart(3)}%`,
        `  ${String(progress.done.heavy).padStart(5)} · ${String(progress.done.light).padEnd(6)}`,
        `   ${result}`,
      ].join(' '),
    );
  }
  lines.push('', snapshot.footer);
  return lines.map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line));
}

function outcome(run: ProvingRun, progress: RunProgress, rate: number, snapshot: DevnetSnapshot): string {
  if (run.state === 'settled' || run.state === 'confirmed') {
    return `proven in ${seconds(run.rootProvenAt - run.createdAt)} · tx ${run.l1TxHash.slice(0, 10)}…`;
  }
  if (run.state === 'abandoned') return `abandoned: ${run.stateReason}`;
  if (run.state === 'submitting') return 'submitting root proof';
  const remaining = run.jobCount - progress.total;
  const byRate = rate > 0 ? remaining / rate : Infinity;
  const byPath = (run.criticalPathSeconds * snapshot.timeScale * 1000 - (snapshot.now - (run.provingStartedAt || snapshot.now))) / 1000;
  const eta = Math.max(byPath, Number.isFinite(byRate) ? byRate : byPath);
  return `ETA ${Math.max(0, eta).toFixed(1)} s`;
}

function bar(fraction: number, width: number): string {
  const filled = Math.round(fraction * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A line for logs (stdout is not a terminal): one per state change of a run. */
export function describeRunChange(run: ProvingRun, timeScale: number): string {
  const block = `block ${run.blockNumber}`;
  switch (run.state) {
    case 'planned':
    case 'provisioning':
      return `${block}: planned ${run.txCount} txs as ${run.jobCount} proofs (critical path ${run.criticalPathSeconds} s × ${timeScale} = ${(run.criticalPathSeconds * timeScale).toFixed(1)} s)`;
    case 'proving':
      return `${block}: proving (${run.reason})`;
    case 'submitting':
      return run.rootDigest ? `${block}: root proof ready after ${seconds(run.rootProvenAt - run.createdAt)}; submitting` : `${block}: submitting`;
    case 'confirmed':
    case 'settled':
      return `${block}: proven on L1 under ${run.proverId} (tx ${run.l1TxHash}), ${seconds(run.rootProvenAt - run.createdAt)} from plan to root`;
    case 'abandoned':
      return `${block}: abandoned — ${run.stateReason}`;
  }
}
