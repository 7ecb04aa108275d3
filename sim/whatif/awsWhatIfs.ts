import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { combineModelOverrides } from '../model/loadSimModel.js';

/**
 * One AWS-side part of the model (`sim/model/model.ts`, where each modelled figure cites its source) made ideal by
 * its own `--model` override file in this folder. Ideal is not what AWS offers: it is the part taken out of the way
 * (a latency of 0.5 s, a rate of a million a second), so a what-if says how much that one limit costs the stream.
 */
export interface AwsWhatIf {
  /** The file is `ideal-<key>.json`. */
  readonly key: string;
  readonly label: string;
  /** The model's figure and its source, as `sim/model/model.ts` cites it. */
  readonly modelled: string;
  readonly ideal: string;
  /** The part of the model the file replaces, and nothing else (checked by `awsWhatIfs.test.ts`). */
  readonly path: readonly string[];
}

export const AWS_WHAT_IFS: readonly AwsWhatIf[] = [
  { key: 'launch-bucket', label: '(a) EC2 RunInstances bucket', modelled: '1,000 instances burst, 2/s refill, per account and region (EC2 API throttling documentation)', ideal: '1,000,000 burst and per second', path: ['ec2', 'launchBucket'] },
  { key: 'scheduling', label: '(b) Batch scheduling delay', modelled: 'log-normal, median 8 s (not documented: a parameter)', ideal: '0.5 s', path: ['batch', 'schedulingSeconds'] },
  { key: 'pending', label: '(c) EC2 pending → running', modelled: 'uniform 16–26 s (public cold-boot measurements; not documented by AWS)', ideal: '0.5 s', path: ['ec2', 'launchSeconds'] },
  { key: 'boot', label: '(d) boot + ECS registration', modelled: 'log-normal, median 25 s (a parameter)', ideal: '0.5 s', path: ['ec2', 'bootSeconds'] },
  { key: 'image-pull', label: '(e) image pull', modelled: 'log-normal, median 20 s (ECS: "for larger images the download might take 10–20 s")', ideal: '0.5 s', path: ['ec2', 'imagePullSeconds'] },
  { key: 'container-start', label: '(f) container start', modelled: 'log-normal, median 3 s (a parameter)', ideal: '0.5 s', path: ['batch', 'containerStartSeconds'] },
  { key: 'scale-in', label: '(g) Batch scale-in delay', modelled: 'log-normal, median 30 s (not documented; public reports ~10 s to minutes)', ideal: '0.5 s', path: ['ec2', 'scaleInSeconds'] },
  { key: 'batch-api', label: '(h) Batch API budget', modelled: '50 TPS per account for SubmitJob, not adjustable, shared with the other calls (Batch service quotas; re:Post)', ideal: '1,000,000 calls/s', path: ['batch', 'apiCallsPerSecond'] },
];

/** Scaler settings changed on top of an all-ideal AWS (not AWS limits: what in our scaler still stops a target). */
export const SCALER_WHAT_IFS = [
  { key: 'no-hold', label: 'scale-down hold off (`scaleDownHoldSeconds` 0, from 150)' },
  { key: 'stretch-1', label: '`targetStretch` 1.0 (from 1.08): each run sized to finish on its critical path' },
] as const;

/** One row of the attribution: the override files it lays over the default model, in order. */
export interface WhatIfRow {
  readonly name: string;
  readonly label: string;
  readonly files: readonly string[];
  /** The row it is compared with: the model as it is, with the same scaler settings. */
  readonly against: string;
}

const idealFile = (whatIf: AwsWhatIf) => `ideal-${whatIf.key}.json`;

/**
 * The attribution's rows in the order worth running them: the model as it is, all ideal, each part alone ideal,
 * all ideal but each part; then the same with the scale-down hold off (the hold is there for AWS's launch path, so
 * with the hold on a faster launch path shows little), and `targetStretch` 1.0 on an all-ideal AWS.
 */
export function whatIfRows(): WhatIfRow[] {
  const all = AWS_WHAT_IFS.map(idealFile);
  const noHold = 'scaler-no-hold.json';
  const hold = 'the 150-s hold';
  return [
    { name: 'as-modelled', label: `as modelled (every AWS figure as cited), ${hold}`, files: [], against: 'as-modelled' },
    { name: 'all-ideal', label: 'all eight ideal', files: all, against: 'as-modelled' },
    ...AWS_WHAT_IFS.map((w) => ({ name: `only-${w.key}`, label: `only ${w.label} ideal`, files: [idealFile(w)], against: 'as-modelled' })),
    ...AWS_WHAT_IFS.map((w) => ({ name: `all-but-${w.key}`, label: `all ideal but ${w.label}`, files: all.filter((f) => f !== idealFile(w)), against: 'as-modelled' })),
    { name: 'as-modelled-no-hold', label: `as modelled, ${SCALER_WHAT_IFS[0].label}`, files: [noHold], against: 'as-modelled-no-hold' },
    { name: 'all-ideal-no-hold', label: 'all eight ideal, hold off', files: [...all, noHold], against: 'as-modelled-no-hold' },
    ...AWS_WHAT_IFS.map((w) => ({ name: `only-${w.key}-no-hold`, label: `only ${w.label} ideal, hold off`, files: [idealFile(w), noHold], against: 'as-modelled-no-hold' })),
    { name: 'all-ideal-stretch-1', label: `all eight ideal, ${SCALER_WHAT_IFS[1].label}`, files: [...all, 'scaler-stretch-1.json'], against: 'as-modelled' },
  ];
}

/**
 * Whole what-ifs kept in this folder as single `--model` files, not rows of the attribution: every start-up part
 * instant with the hold off (`instant-aws.json`), and the same with one agent an instance
 * (`instant-aws-one-agent-instances.json`). docs/simulator.md and docs/fleet.md cite them; `loadSimModel.test.ts`
 * reads them.
 */
export const STANDALONE_WHAT_IFS = ['instant-aws.json', 'instant-aws-one-agent-instances.json'] as const;

/** The folder of the override files. */
export const WHAT_IF_DIR = fileURLToPath(new URL('.', import.meta.url));

/** A row's files laid over one another: one override, for `mergeSimModel` or to write as a `--model` file. */
export function whatIfOverride(row: WhatIfRow): unknown {
  return combineModelOverrides(row.files.map((file) => JSON.parse(readFileSync(`${WHAT_IF_DIR}${file}`, 'utf8')) as unknown));
}
