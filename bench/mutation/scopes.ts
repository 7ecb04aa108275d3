/**
 * What `npm run test:mutation` mutates, folder by folder, and the tests it runs against each: the fast unit tests
 * that state the folder's rules. Slow system tests (the embedded harness, the devnet, the AWS suites) are left out
 * on purpose: they are run by `npm test`, and under mutation they would kill mutants only by hanging until Stryker's
 * timeout, which says nothing about which rule broke.
 */
export interface MutationScope {
  /** What to type after `npm run test:mutation --`: a folder, or the one file it mutates. */
  readonly name: string;
  /** Source files to mutate (globs; test files are never mutated). */
  readonly mutate: readonly string[];
  /** Test files to run (globs). */
  readonly tests: readonly string[];
}

const folder = (name: string, tests: readonly string[]): MutationScope => ({
  name,
  mutate: [`${name}/**/*.ts`, `!${name}/**/*.test.ts`],
  tests,
});

export const MUTATION_SCOPES: readonly MutationScope[] = [
  { name: 'core/plan/mergeTree.ts', mutate: ['core/plan/mergeTree.ts'], tests: ['core/plan/mergeTree.test.ts'] },
  folder('core/policy', ['core/policy/*.test.ts']),
  folder('core/quote', ['core/quote/*.test.ts']),
  folder('core/watch', ['core/watch/*.test.ts', 'test/orchestration/watcher.test.ts']),
  folder('core/scale', ['core/scale/*.test.ts']),
  folder('core/agent', ['core/agent/*.test.ts']),
  folder('core/run', ['core/run/*.test.ts']),
  // The job store's rules run against the job store contract too, on the simulator's store (the same operations).
  folder('core/jobs', ['core/jobs/*.test.ts', 'sim/world/simJobStore.test.ts']),
];

/** The targets (issue 19), over every file of these scopes: the overall score and the floor for any one file. */
export const TARGET_SCORE = 85;
export const FILE_FLOOR = 75;
/** Files where no mutant may be detected only by a timeout (issue 19 found their rules held by hanging tests). */
export const NO_TIMEOUT_FILES: readonly string[] = [
  'core/plan/mergeTree.ts',
  'core/scale/sizeTier.ts',
  'core/policy/decideToProve.ts',
  'core/jobs/jobTransitions.ts',
  'core/run/submitRun.ts',
];
