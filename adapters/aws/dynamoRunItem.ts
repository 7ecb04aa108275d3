import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { ProvingRun, RunPatch, RunState } from '../../core/ports/provingRun.js';
import { n, requiredNumber, requiredString, s, type Item } from './dynamoItems.js';

/** Run items' key: `RUN#<runId>`. */
export const runKey = (runId: string): Record<string, AttributeValue> => ({ pk: s(`RUN#${runId}`) });

/** Runs in these states are over; their items expire after the retention period. */
export const FINISHED_RUN_STATES: readonly RunState[] = ['settled', 'abandoned'];

const STRING_FIELDS = [
  'runId',
  'bodyHash',
  'revealedIn',
  'bodyDigest',
  'profile',
  'parentStateRoot',
  'newStateRoot',
  'proverId',
  'reason',
  'state',
  'stateReason',
  'rootDigest',
  'l1TxHash',
] as const satisfies readonly (keyof ProvingRun)[];

const NUMBER_FIELDS = [
  'txCount',
  'jobCount',
  'criticalPathSeconds',
  'exclusiveUntil',
  'provingDeadline',
  'createdAt',
  'provingStartedAt',
  'rootProvenAt',
  'updatedAt',
] as const satisfies readonly (keyof ProvingRun)[];

const BIGINT_FIELDS = ['blockNumber', 'slot', 'parentBlock'] as const satisfies readonly (keyof ProvingRun)[];

/** The `runsByClass` index key of a run in `state`. */
export const runClassOf = (state: RunState): 'active' | 'finished' => (FINISHED_RUN_STATES.includes(state) ? 'finished' : 'active');

/** A run as item attributes: one attribute per field, bigints as decimal strings (DynamoDB numbers stop at 38 digits). */
export function runToItem(run: ProvingRun): Item {
  const item: Item = { ...runKey(run.runId), runClass: s(runClassOf(run.state)) };
  for (const field of STRING_FIELDS) item[field] = s(run[field]);
  for (const field of NUMBER_FIELDS) item[field] = n(run[field]);
  for (const field of BIGINT_FIELDS) item[field] = s(run[field].toString());
  return item;
}

export function runFromItem(item: Item): ProvingRun {
  const field = (name: (typeof STRING_FIELDS)[number]) => requiredString(item, name);
  return {
    runId: field('runId'),
    blockNumber: BigInt(requiredString(item, 'blockNumber')),
    slot: BigInt(requiredString(item, 'slot')),
    bodyHash: field('bodyHash') as ProvingRun['bodyHash'],
    revealedIn: field('revealedIn') as ProvingRun['revealedIn'],
    bodyDigest: field('bodyDigest'),
    profile: field('profile'),
    txCount: requiredNumber(item, 'txCount'),
    jobCount: requiredNumber(item, 'jobCount'),
    criticalPathSeconds: requiredNumber(item, 'criticalPathSeconds'),
    parentBlock: BigInt(requiredString(item, 'parentBlock')),
    parentStateRoot: field('parentStateRoot') as ProvingRun['parentStateRoot'],
    newStateRoot: field('newStateRoot') as ProvingRun['newStateRoot'],
    proverId: field('proverId') as ProvingRun['proverId'],
    reason: field('reason') as ProvingRun['reason'],
    exclusiveUntil: requiredNumber(item, 'exclusiveUntil'),
    provingDeadline: requiredNumber(item, 'provingDeadline'),
    state: field('state') as RunState,
    stateReason: field('stateReason'),
    rootDigest: field('rootDigest'),
    l1TxHash: field('l1TxHash') as ProvingRun['l1TxHash'],
    createdAt: requiredNumber(item, 'createdAt'),
    provingStartedAt: requiredNumber(item, 'provingStartedAt'),
    rootProvenAt: requiredNumber(item, 'rootProvenAt'),
    updatedAt: requiredNumber(item, 'updatedAt'),
  };
}

/** A patch's fields as attribute values, for a transition's SET clause. */
export function patchValues(patch: RunPatch): [string, AttributeValue][] {
  return Object.entries(patch)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => [name, typeof value === 'number' ? n(value) : s(String(value))]);
}
