/** A mutant as StrykerJS records it (the mutation-testing-report-schema, trimmed to what is counted here). */
export interface ReportedMutant {
  readonly status: string;
  readonly statusReason?: string;
}

/** A StrykerJS report (the incremental file has this shape): mutants by source file. */
export interface MutationReport {
  readonly files: Readonly<Record<string, { readonly mutants: readonly ReportedMutant[] }>>;
}

export interface MutationCounts {
  /** Every mutant that was tested (ignored ones are counted apart). */
  readonly mutants: number;
  readonly killed: number;
  readonly survived: number;
  readonly noCoverage: number;
  /** Detected only because a test ran past Stryker's timeout: detected, but it names no broken rule. */
  readonly timeout: number;
  /** The mutant did not compile or crashed the test process before a test ran. */
  readonly errors: number;
  /** Skipped by an ignorer (log lines): not in the score. */
  readonly ignored: number;
  /** Static mutants (evaluated only as a module loads), not run (see run.ts): not in the score. */
  readonly static: number;
  /** Detected / (detected + undetected), in percent with one decimal; null when nothing was tested. */
  readonly score: number | null;
}

const ZERO = { mutants: 0, killed: 0, survived: 0, noCoverage: 0, timeout: 0, errors: 0, ignored: 0, static: 0 };

/** Counts one file's mutants by status, and its score as Stryker states it (timeouts count as detected). */
export function countMutants(mutants: readonly ReportedMutant[]): MutationCounts {
  const counts = { ...ZERO };
  for (const { status, statusReason } of mutants) {
    if (status === 'Ignored') {
      if (statusReason?.startsWith('Static mutant')) counts.static++;
      else counts.ignored++;
      continue;
    }
    counts.mutants++;
    if (status === 'Killed') counts.killed++;
    else if (status === 'Survived') counts.survived++;
    else if (status === 'NoCoverage') counts.noCoverage++;
    else if (status === 'Timeout') counts.timeout++;
    else if (status === 'CompileError' || status === 'RuntimeError') counts.errors++;
    else throw new RangeError(`unknown mutant status ${status}`);
  }
  return withScore(counts);
}

/** Adds counts up (a folder, or every target file). */
export function addCounts(all: readonly MutationCounts[]): MutationCounts {
  const total = { ...ZERO };
  for (const counts of all) for (const key of Object.keys(ZERO) as (keyof typeof ZERO)[]) total[key] += counts[key];
  return withScore(total);
}

/** Per-file counts of a report, files in path order. */
export function summarizeReport(report: MutationReport): Record<string, MutationCounts> {
  return Object.fromEntries(
    Object.keys(report.files)
      .sort()
      .map((file) => [file, countMutants(report.files[file]!.mutants)]),
  );
}

function withScore(counts: Omit<MutationCounts, 'score'>): MutationCounts {
  const detected = counts.killed + counts.timeout;
  const tested = detected + counts.survived + counts.noCoverage;
  return { ...counts, score: tested === 0 ? null : Math.round((detected / tested) * 1000) / 10 };
}
