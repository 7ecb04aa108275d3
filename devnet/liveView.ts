import type { ProvingRun, RunState } from '../core/ports/provingRun.js';
import type { Tier } from '../core/tiers.js';
import type { KindStats, RunProgress } from './progressTracker.js';

/** What one frame of the devnet's view shows. */
export interface DevnetSnapshot {
  /** Lines above the table (what runs, where it can be reached). */
  readonly header: readonly string[];
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
  /** Our proofs so far by kind (count, agent time, size). */
  readonly kinds?: Readonly<Record<string, KindStats>>;
  readonly footer: string;
}

/** One word for a run's state, the same in the live view and in the line-per-change log. */
export function stateLabel(state: RunState): string {
  return state === 'settled' || state === 'confirmed' ? 'proven on L1' : state;
}

/** States in which the root proof exists: the run's proofs are all done, whichever process did them. */
const ROOT_PROVEN: readonly RunState[] = ['submitting', 'confirmed', 'settled'];

const MIN_BAR = 6;
const MAX_BAR = 24;
/** Space the result column always gets ("12.3 s, tx 0x1708…0fa"). */
const RESULT_WIDTH = 22;

/**
 * A frame for a terminal `width` columns wide (80 and up keep every column; narrower lines are cut with "…"): the
 * header, agents per firm, one line per recent block with a progress bar, the proofs done per tier and the result.
 */
export function renderFrame(snapshot: DevnetSnapshot, width: number): string[] {
  const lines = [...snapshot.header];
  for (const firm of snapshot.firms) {
    const tiers = (['heavy', 'light'] as const).map((tier) => {
      const { busy, running, max } = firm.agents[tier];
      return `${tier} ${busy}/${running}/${max}`;
    });
    lines.push(`${firm.name.padEnd(9)} ${shortId(firm.proverId)}  ${firm.paused ? 'PAUSED ' : ''}agents busy/running/max: ${tiers.join(' · ')}`);
  }
  const fixed = 5 + 1 + 6 + 1 + 12 + 1 + 2 + 5 + 1 + 5 + 1 + 5 + 1 + RESULT_WIDTH;
  const barWidth = Math.max(MIN_BAR, Math.min(MAX_BAR, width - fixed));
  lines.push('');
  lines.push(
    ['block', '  jobs', 'state'.padEnd(12), 'progress'.padEnd(barWidth + 7), 'heavy', 'light', 'result'].join(' '),
  );
  for (const { run, progress, rate } of snapshot.runs.slice(0, 8)) {
    const fraction = ROOT_PROVEN.includes(run.state) ? 1 : run.jobCount === 0 ? 0 : Math.min(1, progress.total / run.jobCount);
    const counted = progress.total > 0 || !ROOT_PROVEN.includes(run.state);
    lines.push(
      [
        String(run.blockNumber).padStart(5),
        String(run.jobCount).padStart(6),
        stateLabel(run.state).padEnd(12),
        `${bar(fraction, barWidth)} ${String(Math.round(fraction * 100)).padStart(3)}%`,
        (counted ? String(progress.done.heavy) : '–').padStart(5),
        (counted ? String(progress.done.light) : '–').padStart(5),
        outcome(run, progress, rate, snapshot),
      ].join(' '),
    );
  }
  const kinds = Object.entries(snapshot.kinds ?? {});
  if (kinds.length > 0) {
    const each = kinds.map(([kind, stats]) => `${kind} ${stats.count} × ${seconds(stats.totalMs / stats.count)} avg, ${stats.bytes.toLocaleString('en-US')} B`);
    lines.push('', `proofs by kind: ${each.join(' · ')}`);
  }
  lines.push('', 'heavy/light: proofs done on each agent tier (heavy: 32 vCPU, light: 8 vCPU)', snapshot.footer);
  return lines.map((line) => fit(line, width));
}

function outcome(run: ProvingRun, progress: RunProgress, rate: number, snapshot: DevnetSnapshot): string {
  if (run.state === 'settled' || run.state === 'confirmed') return `${seconds(run.rootProvenAt - run.createdAt)}, tx ${shortHash(run.l1TxHash)}`;
  if (run.state === 'abandoned') return run.stateReason;
  if (run.state === 'submitting') return 'root proven; sending';
  const remaining = run.jobCount - progress.total;
  const byRate = rate > 0 ? remaining / rate : Infinity;
  const byPath = (run.criticalPathSeconds * snapshot.timeScale * 1000 - (snapshot.now - (run.provingStartedAt || snapshot.now))) / 1000;
  const eta = Math.max(byPath, Number.isFinite(byRate) ? byRate : byPath);
  return `ETA ${Math.max(0, eta).toFixed(1)} s`;
}

/** `text` broken at spaces into lines of at most `width` characters (a longer word is cut with `fit`). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && [...line].length + 1 + [...word].length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.map((part) => fit(part, width));
}

/** Keeps a line within `width` columns (characters: the view draws none wider than one column). */
function fit(line: string, width: number): string {
  return [...line].length > width ? `${[...line].slice(0, Math.max(0, width - 1)).join('')}…` : line;
}

function bar(fraction: number, width: number): string {
  const filled = Math.round(fraction * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** `0x1708…0fa`: short enough for a line, still matching the start and end of the full hash. */
export function shortHash(hash: string): string {
  return hash.length > 14 ? `${hash.slice(0, 6)}…${hash.slice(-3)}` : hash;
}

/** `0xD96a…397e`: an address as a column shows it. */
function shortId(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/** A line for logs (stdout is not a terminal): one per state change of a run; hashes shortened, the prover id whole. */
export function describeRunChange(run: ProvingRun, timeScale: number): string {
  const block = `block ${run.blockNumber}`;
  switch (run.state) {
    case 'planned':
    case 'provisioning':
      return `${block}: ${run.state}, ${run.txCount} txs as ${run.jobCount} proofs (critical path ${run.criticalPathSeconds} s × ${timeScale} = ${(run.criticalPathSeconds * timeScale).toFixed(1)} s)`;
    case 'proving':
      return `${block}: proving (${run.reason})`;
    case 'submitting':
      return run.rootDigest ? `${block}: submitting, root proven after ${seconds(run.rootProvenAt - run.createdAt)}` : `${block}: submitting`;
    case 'confirmed':
    case 'settled':
      return `${block}: ${stateLabel(run.state)} under ${run.proverId} (tx ${shortHash(run.l1TxHash)}), ${seconds(run.rootProvenAt - run.createdAt)} from plan to root`;
    case 'abandoned':
      return `${block}: abandoned — ${run.stateReason}`;
  }
}

/** Escape sequences of the frame writer: cursor to column 1 n lines up, clear to end of line / screen, home. */
const UP = (lines: number) => `\u001b[${lines}F`;
const CLEAR_LINE = '\u001b[K';
const CLEAR_BELOW = '\u001b[J';
const CLEAR_SCREEN = '\u001b[H\u001b[2J';

/**
 * Draws frames in place on a terminal. Each frame goes back up over the previous one; after a resize the previous
 * frame may have wrapped into more rows than it had lines, so the screen is cleared and the frame drawn from the top.
 */
export function createFrameWriter(write: (text: string) => void) {
  let drawn = 0;
  let resized = false;
  return {
    resized() {
      resized = true;
    },
    draw(lines: readonly string[]) {
      const start = resized ? CLEAR_SCREEN : drawn > 0 ? UP(drawn) : '';
      resized = false;
      write(`${start}${lines.map((line) => `${line}${CLEAR_LINE}`).join('\n')}\n${CLEAR_BELOW}`);
      drawn = lines.length;
    },
  };
}
