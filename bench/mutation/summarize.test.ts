import { describe, expect, it } from 'vitest';
import { addCounts, countMutants, summarizeReport } from './summarize.js';

const statuses = (...list: string[]) => list.map((status) => ({ status }));

describe('the mutation summary', () => {
  it('counts mutants by status and scores detected over tested, timeouts counted as detected', () => {
    const counts = countMutants([
      ...statuses('Killed', 'Killed', 'Killed', 'Timeout', 'Survived', 'NoCoverage', 'CompileError', 'Ignored'),
      { status: 'Ignored', statusReason: 'Static mutant (and "ignoreStatic" was enabled)' },
    ]);
    expect(counts).toEqual({ mutants: 7, killed: 3, survived: 1, noCoverage: 1, timeout: 1, errors: 1, ignored: 1, static: 1, score: 66.7 });
  });

  it('has no score for a file with nothing tested, and refuses a status it does not know', () => {
    expect(countMutants(statuses('Ignored')).score).toBeNull();
    expect(() => countMutants(statuses('Pending'))).toThrow(new RangeError('unknown mutant status Pending'));
  });

  it('adds files up and lists a report per file in path order', () => {
    const report = { files: { 'b.ts': { mutants: statuses('Killed') }, 'a.ts': { mutants: statuses('Survived') } } };
    const perFile = summarizeReport(report);
    expect(Object.keys(perFile)).toEqual(['a.ts', 'b.ts']);
    expect(addCounts(Object.values(perFile))).toMatchObject({ mutants: 2, killed: 1, survived: 1, score: 50 });
  });
});
