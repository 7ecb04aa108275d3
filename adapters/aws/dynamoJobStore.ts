import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { parseWithBigints, stringifyWithBigints } from '../../core/json/bigintJson.js';
import type { Clock } from '../../core/ports/clock.js';
import type { JobRecord, JobStore, LeaseOutcome, ReleaseOutcome, Versioned } from '../../core/ports/jobStore.js';
import type { ProvingRun, RunState } from '../../core/ports/provingRun.js';
import { expiresAt, n, optionalNumber, optionalString, requiredNumber, requiredString, s, type Item } from './dynamoItems.js';
import {
  childAttribute,
  childDigests,
  childRecords,
  childRecordValue,
  claimOf,
  jobFromItem,
  jobKey,
} from './dynamoJobItem.js';
import { JOB_TABLE } from './dynamoJobTable.js';
import { FINISHED_RUN_STATES, patchValues, runClassOf, runFromItem, runKey, runToItem } from './dynamoRunItem.js';
import { UnprocessedKeysError } from './errors/awsAdapterErrors.js';
import { ContendedItemError } from './errors/awsAdapterErrors.js';

export interface DynamoJobStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Stamps TTLs and invalidations (the port's calls carry their own `now` for everything else). */
  readonly clock: Clock;
  /** How long a finished run's item is kept. @default 7 days */
  readonly runRetentionSeconds?: number;
  /** How long a job item is kept after its last write; far longer than any proving deadline. @default 3 days */
  readonly jobRetentionSeconds?: number;
}

/** The job store on DynamoDB, plus the Step Functions task token a waiting run keeps on its item. */
export interface DynamoJobStore extends JobStore {
  /** Stores the token of the run's waiting prove state; returns the run as it is now (null if there is none). */
  recordTaskToken(runId: string, token: string): Promise<ProvingRun | null>;
  /** The stored task token, or '' when the run is not waiting in its prove state. */
  taskToken(runId: string): Promise<string>;
}

const BATCH_GET_LIMIT = 100;
const MAX_ATTEMPTS = 8;

/**
 * The JobStore port on one DynamoDB table (see `dynamoJobTable.ts` for the key design). It applies the same rules as
 * `core/jobs/jobTransitions.ts`, each as one conditional UpdateItem or PutItem, never read-then-write: a
 * failed condition returns the item as it was (ReturnValuesOnConditionCheckFailure ALL_OLD), which says why without
 * a second read. A proof costs three writes of one unit each: lease, complete, release of its parent (recording the
 * last child is what claims the parent, see `dynamoJobItem.ts`). Only the rare paths take a second call: a stale
 * claim takeover, a failure that exhausts the job, a transaction for invalidating a corrupt proof on both items.
 */
export function createDynamoJobStore(options: DynamoJobStoreOptions): DynamoJobStore {
  const { client, tableName: TableName, clock } = options;
  const runRetention = options.runRetentionSeconds ?? 7 * 86_400;
  const jobRetention = options.jobRetentionSeconds ?? 3 * 86_400;
  const jobTtl = () => expiresAt(clock.now(), jobRetention);

  /** Sends a conditional update; resolves with the new (or old) attributes, or `{ failed }` with the item as it was. */
  async function conditional(input: Omit<UpdateItemCommandInput, 'TableName'>) {
    try {
      const output = await client.send(
        new UpdateItemCommand({ TableName, ReturnValuesOnConditionCheckFailure: 'ALL_OLD', ...input }),
      );
      return { ok: true as const, item: output.Attributes };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { ok: false as const, item: error.Item };
      throw error;
    }
  }

  async function getItem(key: Record<string, AttributeValue>, projection?: string): Promise<Item | undefined> {
    const output = await client.send(
      new GetItemCommand({ TableName, Key: key, ConsistentRead: true, ...(projection ? { ProjectionExpression: projection } : {}) }),
    );
    return output.Item;
  }

  /** Strongly consistent BatchGetItem, 100 keys a call, retrying what DynamoDB leaves unprocessed. */
  async function batchGet(keys: Record<string, AttributeValue>[]): Promise<Item[]> {
    const items: Item[] = [];
    for (let first = 0; first < keys.length; first += BATCH_GET_LIMIT) {
      let pending = keys.slice(first, first + BATCH_GET_LIMIT);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt === MAX_ATTEMPTS) throw new UnprocessedKeysError(pending.map((key) => key.pk!.S!));
        if (attempt > 0) await clock.sleep(Math.min(50 * 2 ** attempt, 2_000));
        const output = await client.send(
          new BatchGetItemCommand({ RequestItems: { [TableName]: { Keys: pending, ConsistentRead: true } } }),
        );
        items.push(...(output.Responses?.[TableName] ?? []));
        pending = output.UnprocessedKeys?.[TableName]?.Keys ?? [];
      }
    }
    return items;
  }

  return {
    async createRun(run) {
      const item: Item = { ...runToItem(run) };
      if (FINISHED_RUN_STATES.includes(run.state)) item.ttl = expiresAt(run.updatedAt, runRetention);
      try {
        await client.send(
          new PutItemCommand({
            TableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { created: true, run };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || !error.Item) throw error;
        return { created: false, run: runFromItem(error.Item) };
      }
    },

    async getRun(runId) {
      const item = await getItem(runKey(runId));
      return item ? runFromItem(item) : null;
    },

    async transitionRun(runId, from, to, patch, now) {
      if (from.length === 0) return null;
      const values: Record<string, AttributeValue> = { ':to': s(to), ':now': n(now), ':class': s(runClassOf(to)) };
      const names: Record<string, string> = { '#state': 'state' };
      from.forEach((state, i) => (values[`:from${i}`] = s(state)));
      // Rewriting the same class leaves the keys-only index untouched: only finishing (or reviving) writes it.
      const sets = ['#state = :to', 'updatedAt = :now', 'runClass = :class'];
      for (const [field, value] of patchValues(patch)) {
        names[`#${field}`] = field;
        values[`:${field}`] = value;
        sets.push(`#${field} = :${field}`);
      }
      let expression: string;
      if (FINISHED_RUN_STATES.includes(to)) {
        values[':ttl'] = expiresAt(now, runRetention);
        expression = `SET ${[...sets, '#ttl = :ttl'].join(', ')}`;
      } else {
        // A revived run must not expire under its old TTL.
        expression = `SET ${sets.join(', ')} REMOVE #ttl`;
      }
      names['#ttl'] = JOB_TABLE.ttlAttribute;
      const result = await conditional({
        Key: runKey(runId),
        UpdateExpression: expression,
        ConditionExpression: `#state IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'NONE',
      });
      return result.ok && result.item ? runFromItem(result.item) : null;
    },

    async listRuns(states: readonly RunState[]) {
      const wanted = new Set(states);
      const classes = new Set([...wanted].map(runClassOf));
      const runIds: string[] = [];
      for (const runClass of classes) {
        let start: Record<string, AttributeValue> | undefined;
        do {
          const page = await client.send(
            new QueryCommand({
              TableName,
              IndexName: JOB_TABLE.runsByClassIndex,
              KeyConditionExpression: 'runClass = :class',
              ExpressionAttributeValues: { ':class': s(runClass) },
              ExclusiveStartKey: start,
            }),
          );
          for (const item of page.Items ?? []) runIds.push(requiredString(item, 'runId'));
          start = page.LastEvaluatedKey;
        } while (start);
      }
      // The index only says which runs to read; their states come from the items themselves, read consistently.
      const runs = (await batchGet(runIds.map(runKey))).map(runFromItem).filter((run) => wanted.has(run.state));
      return runs.sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
    },

    async leaseJob({ runId, jobId, owner, now, leaseMs }): Promise<LeaseOutcome> {
      const result = await conditional({
        Key: jobKey(runId, jobId),
        UpdateExpression: 'SET st = :leased, lo = :owner, le = :expires, #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(st) OR st = :waiting OR (st = :leased AND (lo = :owner OR le <= :now))',
        ExpressionAttributeNames: { '#ttl': JOB_TABLE.ttlAttribute },
        ExpressionAttributeValues: {
          ':leased': s('leased'),
          ':waiting': s('waiting'),
          ':owner': s(owner),
          ':expires': n(now + leaseMs),
          ':now': n(now),
          ':ttl': jobTtl(),
        },
        ReturnValues: 'ALL_NEW',
      });
      if (result.ok) {
        return {
          kind: 'leased',
          failures: optionalNumber(result.item, 'f') ?? 0,
          children: childDigests(childRecords(runId, result.item)),
        };
      }
      const old = result.item ?? {};
      const state = optionalString(old, 'st');
      if (state === 'done') return { kind: 'done', digest: optionalString(old, 'd') ?? '' };
      if (state === 'failed') return { kind: 'failed', error: optionalString(old, 'e') ?? '' };
      return { kind: 'held', owner: optionalString(old, 'lo') ?? '', expiresAt: optionalNumber(old, 'le') ?? 0 };
    },

    async extendLease({ runId, jobId, owner, now, leaseMs }) {
      const result = await conditional({
        Key: jobKey(runId, jobId),
        UpdateExpression: 'SET le = :expires',
        ConditionExpression: 'st = :leased AND lo = :owner',
        ExpressionAttributeValues: { ':leased': s('leased'), ':owner': s(owner), ':expires': n(now + leaseMs) },
        ReturnValuesOnConditionCheckFailure: 'NONE',
      });
      return result.ok;
    },

    async returnLease(runId, jobId, owner) {
      await conditional({
        Key: jobKey(runId, jobId),
        UpdateExpression: 'SET st = :waiting REMOVE lo, le',
        ConditionExpression: 'st = :leased AND lo = :owner',
        ExpressionAttributeValues: { ':leased': s('leased'), ':waiting': s('waiting'), ':owner': s(owner) },
        ReturnValuesOnConditionCheckFailure: 'NONE',
      });
    },

    async completeJob(runId, jobId, digest) {
      const result = await conditional({
        Key: jobKey(runId, jobId),
        UpdateExpression: 'SET st = :done, d = :digest, #ttl = :ttl REMOVE lo, le, e',
        ConditionExpression: 'attribute_not_exists(st) OR st <> :done',
        ExpressionAttributeNames: { '#ttl': JOB_TABLE.ttlAttribute },
        ExpressionAttributeValues: { ':done': s('done'), ':digest': s(digest), ':ttl': jobTtl() },
      });
      if (result.ok) return { first: true, digest };
      return { first: false, digest: optionalString(result.item, 'd') ?? '' };
    },

    async releaseParent(request): Promise<ReleaseOutcome> {
      const { runId, parentId, childId, childDigest, depCount, claimant, now, staleClaimMs } = request;
      const key = jobKey(runId, parentId);
      const names = { '#child': childAttribute(runId, childId), '#ttl': JOB_TABLE.ttlAttribute };
      const record = (by: string) => ({
        Key: key,
        UpdateExpression: 'SET #child = if_not_exists(#child, :record), st = if_not_exists(st, :waiting), dc = :dc, #ttl = :ttl ADD v :one',
        ExpressionAttributeNames: names,
        ReturnValues: 'ALL_OLD' as const,
        ExpressionAttributeValues: {
          ':record': childRecordValue({ digest: childDigest, at: now, by }),
          ':waiting': s('waiting'),
          ':dc': n(depCount),
          ':ttl': jobTtl(),
          ':one': n(1),
        },
      });

      // The common case, one write: record the child while the parent waits; completing the set claims the parent.
      const recorded = await conditional({
        ...record(claimant),
        ConditionExpression: 'attribute_not_exists(st) OR st = :waiting',
      });
      const old = recorded.item;
      const before = childRecords(runId, old);
      const isNew = !before.has(childId);
      const children = { ...childDigests(before), ...(isNew ? { [childId]: childDigest } : {}) };
      const ready = Object.keys(children).length >= depCount;

      if (!recorded.ok) {
        // The parent is leased, done or failed: nothing to claim; a child it lacks is still recorded, claiming nothing.
        if (isNew) await conditional({ ...record(''), ReturnValues: 'NONE', ReturnValuesOnConditionCheckFailure: 'NONE' });
        return { enqueue: false, ready, children };
      }
      if (isNew && ready && before.size < depCount) return { enqueue: true, ready, children };
      if (!ready) return { enqueue: false, ready, children };

      const claim = claimOf(old, before, depCount);
      if (claim.by !== '' && now - claim.at < staleClaimMs) return { enqueue: false, ready, children };
      // Ready, waiting, unclaimed or claimed by someone who died: take it over, unless anything moved since our write.
      const takeover = await conditional({
        Key: key,
        UpdateExpression: 'SET cb = :claimant, ca = :now ADD v :one',
        ConditionExpression: 'st = :waiting AND v = :version',
        ExpressionAttributeValues: {
          ':claimant': s(claimant),
          ':now': n(now),
          ':waiting': s('waiting'),
          ':version': n((optionalNumber(old, 'v') ?? 0) + 1),
          ':one': n(1),
        },
        ReturnValuesOnConditionCheckFailure: 'NONE',
      });
      return { enqueue: takeover.ok, ready, children };
    },

    async recordFailure({ runId, jobId, owner, error, maxFailures }) {
      const key = jobKey(runId, jobId);
      // Assume no failures yet, then follow what the item says; each try is one conditional write.
      let expected = 0;
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const failures = expected + 1;
        const exhausted = failures >= maxFailures;
        const result = await conditional({
          Key: key,
          UpdateExpression: 'SET st = :next, f = :failures, e = :error, #ttl = :ttl REMOVE lo, le',
          ConditionExpression:
            'st = :leased AND lo = :owner AND ' + (expected === 0 ? '(attribute_not_exists(f) OR f = :expected)' : 'f = :expected'),
          ExpressionAttributeNames: { '#ttl': JOB_TABLE.ttlAttribute },
          ExpressionAttributeValues: {
            ':next': s(exhausted ? 'failed' : 'waiting'),
            ':failures': n(failures),
            ':expected': n(expected),
            ':error': s(error),
            ':leased': s('leased'),
            ':owner': s(owner),
            ':ttl': jobTtl(),
          },
        });
        if (result.ok) return { failures, exhausted };
        const state = optionalString(result.item, 'st');
        const current = optionalNumber(result.item, 'f') ?? 0;
        if (state === 'done' || state === 'failed') return { failures: current, exhausted: state === 'failed' };
        if (state !== 'leased' || optionalString(result.item, 'lo') !== owner) return { failures: current, exhausted: false };
        expected = current;
      }
      throw new ContendedItemError(key.pk!.S!, 'recordFailure');
    },

    async invalidateProof(runId, jobId, digest, parentId) {
      const job = {
        TableName,
        Key: jobKey(runId, jobId),
        UpdateExpression: 'SET st = :waiting, cb = :nobody, ca = :zero REMOVE d',
        ConditionExpression: 'st = :done AND d = :digest',
        ExpressionAttributeValues: { ':waiting': s('waiting'), ':done': s('done'), ':digest': s(digest), ':nobody': s(''), ':zero': n(0) },
      };
      if (parentId === null) {
        const { ok } = await conditional({ ...job, ReturnValuesOnConditionCheckFailure: 'NONE' });
        return ok;
      }
      // Both items in one transaction, as the embedded store does: a crash between them would leave the parent
      // holding the corrupt digest, which the redone child could never replace (the first digest stays).
      const parent = {
        TableName,
        Key: jobKey(runId, parentId),
        UpdateExpression: 'SET #ttl = :ttl REMOVE #child, cb, ca ADD v :one',
        ExpressionAttributeNames: { '#child': childAttribute(runId, jobId), '#ttl': JOB_TABLE.ttlAttribute },
        ExpressionAttributeValues: { ':ttl': jobTtl(), ':one': n(1) },
      };
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        try {
          await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Update: job }, { Update: parent }] }));
          return true;
        } catch (error) {
          if (!(error instanceof TransactionCanceledException)) throw error;
          const reasons = error.CancellationReasons ?? [];
          if (reasons[0]?.Code === 'ConditionalCheckFailed') return false;
          if (!reasons.some((reason) => reason.Code === 'TransactionConflict')) throw error;
          await clock.sleep(20 * 2 ** attempt);
        }
      }
      throw new ContendedItemError(jobKey(runId, jobId).pk!.S!, 'invalidateProof');
    },

    async getJob(runId, jobId) {
      const item = await getItem(jobKey(runId, jobId));
      return item ? jobFromItem(runId, jobId, item) : null;
    },

    async getJobs(runId, jobIds) {
      const unique = [...new Set(jobIds)];
      const idOf = new Map(unique.map((jobId) => [jobKey(runId, jobId).pk!.S!, jobId]));
      const found = new Map<string, JobRecord>();
      for (const item of await batchGet(unique.map((jobId) => jobKey(runId, jobId)))) {
        const jobId = idOf.get(requiredString(item, 'pk'))!;
        found.set(jobId, jobFromItem(runId, jobId, item));
      }
      return jobIds.map((jobId) => found.get(jobId) ?? null);
    },

    async getCursor<T>(name: string): Promise<Versioned<T> | null> {
      const item = await getItem({ pk: s(`CURSOR#${name}`) });
      if (!item) return null;
      return { value: parseWithBigints<T>(requiredString(item, 'value')), version: requiredNumber(item, 'version') };
    },

    async putCursor(name, value, expectedVersion) {
      const key = { pk: s(`CURSOR#${name}`) };
      const text = s(stringifyWithBigints(value));
      if (expectedVersion === null) {
        try {
          await client.send(
            new PutItemCommand({
              TableName,
              Item: { ...key, value: text, version: n(1) },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
          return true;
        } catch (error) {
          if (error instanceof ConditionalCheckFailedException) return false;
          throw error;
        }
      }
      const { ok } = await conditional({
        Key: key,
        UpdateExpression: 'SET #value = :value, version = :next',
        ConditionExpression: 'version = :expected',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':value': text, ':expected': n(expectedVersion), ':next': n(expectedVersion + 1) },
        ReturnValuesOnConditionCheckFailure: 'NONE',
      });
      return ok;
    },

    async recordTaskToken(runId, token) {
      const { ok, item } = await conditional({
        Key: runKey(runId),
        UpdateExpression: 'SET taskToken = :token',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':token': s(token) },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'NONE',
      });
      return ok && item ? runFromItem(item) : null;
    },

    async taskToken(runId) {
      return optionalString(await getItem(runKey(runId), 'taskToken'), 'taskToken') ?? '';
    },
  };
}
