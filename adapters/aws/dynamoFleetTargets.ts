import {
  ConditionalCheckFailedException,
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import type { FleetTargets, PublishedTarget } from '../../core/ports/fleetTargets.js';
import { checkScalerMemorySize } from '../../core/scale/scalerMemoryRecord.js';
import type { Tier } from '../../core/tiers.js';
import { n, optionalNumber, requiredNumber, requiredString, s } from './dynamoItems.js';
import { MalformedItemError } from './errors/awsAdapterErrors.js';

/** The live runs' work as the scaler stores it (JSON in one string attribute). */
const runWorkSchema = z.array(
  z.strictObject({
    runId: z.string(),
    deadline: z.number(),
    reason: z.enum(['committed', 'open-race', 'prove-all']),
    remainingSeconds: z.number().nonnegative(),
  }),
);

export interface DynamoFleetTargetsOptions {
  readonly client: DynamoDBClient;
  /** The job table: one item per tier, `FLEET#<tier>`. */
  readonly tableName: string;
}

/**
 * Fleet targets in the job table, one item per tier (`pk = FLEET#<tier>`): the scaler updates it each tick, agents read
 * it between jobs and claim a leave with a conditional update. DynamoDB conditions cannot do arithmetic, so the item
 * keeps the surplus still to leave (`surplus`, set by each put from the leave count it finds and decremented by each
 * claim) beside the tier's leave count (`left`, which a put keeps). The tick's lease is one more item (`FLEETTICK`),
 * a few dozen bytes, so each claim and each give-back is one write unit. The scaler's memory (up to
 * `SCALER_MEMORY_MAX_BYTES`, under DynamoDB's 400 KB item limit) is an item of its own (`FLEETMEMORY`, attribute
 * `scalerMemory`), saved only while the lease is the saver's: one TransactWriteItems of the memory's Put and an
 * Update of the lease item conditioned on `tickUntil = :until`. A transactional write of an item up to 1 KB takes two
 * write units, a plain one one, and an UpdateItem is billed on the larger of the item's sizes before and after it
 * (DynamoDB developer guide, *DynamoDB read and write operations*, capacity unit consumption for write operations): a
 * save of K KB costs 2K + 2 units, where the memory on the lease item made every claim and give-back cost K — at least
 * 3K a tick, and K more for each tick that found the lease taken (a failed condition is billed on the existing item's
 * size: *Condition expressions*, conditional writes). A conditional Put carrying the lease's value would
 * cost K, but it cannot see the lease item: a tick that outran its lease could save after a newer tick took it over.
 *
 * Agents' reads are eventually consistent (half a read unit; a target at most about a second stale is fine, since the
 * claim itself is conditional). Every claim is a write to the same item: see docs/fleet.md for what one item carries.
 */
export function createDynamoFleetTargets({ client, tableName: TableName }: DynamoFleetTargetsOptions): FleetTargets {
  const key = (tier: Tier) => ({ pk: s(`FLEET#${tier}`) });
  const tickKey = { pk: s('FLEETTICK') };
  const memoryKey = { pk: s('FLEETMEMORY') };
  const conditional = async (command: UpdateItemCommand): Promise<boolean> => {
    try {
      await client.send(command);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };
  return {
    async get(tier): Promise<PublishedTarget | null> {
      const { Item: item } = await client.send(new GetItemCommand({ TableName, Key: key(tier) }));
      if (!item) return null;
      const running = optionalNumber(item, 'running');
      return {
        agents: requiredNumber(item, 'agents'),
        observed: requiredNumber(item, 'observed'),
        ...(running === undefined ? {} : { running }),
        leftAtCount: requiredNumber(item, 'leftAtCount'),
        leftBefore: requiredNumber(item, 'leftBefore'),
        quotaAgents: requiredNumber(item, 'quotaAgents'),
        aboveSince: optionalNumber(item, 'aboveSince') ?? null,
        work: parseWork(`FLEET#${tier}`, requiredString(item, 'work')),
        publishedAt: requiredNumber(item, 'publishedAt'),
        left: requiredNumber(item, 'left'),
      };
    },

    put(tier, target, condition = {}) {
      // surplus = observed − agents − (left − leftBefore), from the leave count the item holds when the put lands.
      const newer = '(attribute_not_exists(#publishedAt) OR #publishedAt < :publishedAt)';
      const read =
        condition.ifPublishedAt === undefined
          ? ''
          : condition.ifPublishedAt === null
            ? ' AND attribute_not_exists(#publishedAt)'
            : ' AND #publishedAt = :ifPublishedAt';
      return conditional(
        new UpdateItemCommand({
          TableName,
          Key: key(tier),
          UpdateExpression:
            'SET #agents = :agents, #observed = :observed, #leftAtCount = :leftAtCount, #leftBefore = :leftBefore, ' +
            '#quotaAgents = :quotaAgents, #work = :work, #publishedAt = :publishedAt, ' +
            '#left = if_not_exists(#left, :zero), #surplus = :base - if_not_exists(#left, :zero)' +
            (target.running === undefined ? '' : ', #running = :running') +
            (target.aboveSince === null ? '' : ', #aboveSince = :aboveSince') +
            remove([target.aboveSince === null ? '#aboveSince' : '', target.running === undefined ? '#running' : '']),
          ConditionExpression: newer + read,
          ExpressionAttributeNames: {
            '#agents': 'agents',
            '#observed': 'observed',
            '#leftAtCount': 'leftAtCount',
            '#leftBefore': 'leftBefore',
            '#quotaAgents': 'quotaAgents',
            '#work': 'work',
            '#publishedAt': 'publishedAt',
            '#left': 'left',
            '#surplus': 'surplus',
            '#aboveSince': 'aboveSince',
            '#running': 'running',
          },
          ExpressionAttributeValues: {
            ':agents': n(target.agents),
            ':observed': n(target.observed),
            ':leftAtCount': n(target.leftAtCount),
            ':leftBefore': n(target.leftBefore),
            ':quotaAgents': n(target.quotaAgents),
            ':work': s(JSON.stringify(target.work)),
            ':publishedAt': n(target.publishedAt),
            ':zero': n(0),
            ':base': n(target.observed - target.agents + target.leftBefore),
            ...(target.aboveSince === null ? {} : { ':aboveSince': n(target.aboveSince) }),
            ...(target.running === undefined ? {} : { ':running': n(target.running) }),
            ...(typeof condition.ifPublishedAt === 'number' ? { ':ifPublishedAt': n(condition.ifPublishedAt) } : {}),
          },
        }),
      );
    },

    claimLeave(tier) {
      return conditional(
        new UpdateItemCommand({
          TableName,
          Key: key(tier),
          UpdateExpression: 'SET #surplus = #surplus - :one, #left = #left + :one',
          ConditionExpression: '#surplus > :zero',
          ExpressionAttributeNames: { '#surplus': 'surplus', '#left': 'left' },
          ExpressionAttributeValues: { ':one': n(1), ':zero': n(0) },
        }),
      );
    },

    claimTick(nowMs, untilMs) {
      return conditional(
        new UpdateItemCommand({
          TableName,
          Key: tickKey,
          UpdateExpression: 'SET tickUntil = :until',
          ConditionExpression: 'attribute_not_exists(tickUntil) OR tickUntil <= :now',
          ExpressionAttributeValues: { ':until': n(untilMs), ':now': n(nowMs) },
        }),
      );
    },

    async endTick(untilMs, nowMs) {
      await conditional(
        new UpdateItemCommand({
          TableName,
          Key: tickKey,
          UpdateExpression: 'SET tickUntil = :now',
          ConditionExpression: 'tickUntil = :until',
          ExpressionAttributeValues: { ':until': n(untilMs), ':now': n(nowMs) },
        }),
      );
    },

    async loadScalerMemory() {
      // Strongly consistent: the previous tick's save must be seen, or this one would pace from an older memory.
      const read = async (Key: typeof memoryKey) =>
        (await client.send(new GetItemCommand({ TableName, Key, ConsistentRead: true, ProjectionExpression: 'scalerMemory' }))).Item;
      const item = (await read(memoryKey)) ?? (await read(tickKey));
      // The lease item is read only while the memory item does not exist: a record the previous release kept on it
      // (upgrade path, for one release; the first save removes it).
      return item?.scalerMemory === undefined ? null : requiredString(item, 'scalerMemory');
    },

    async saveScalerMemory(record, untilMs) {
      checkScalerMemorySize(record);
      try {
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                // The lease is still the caller's; removing the previous release's copy of the memory costs nothing more.
                Update: {
                  TableName,
                  Key: tickKey,
                  UpdateExpression: 'REMOVE scalerMemory',
                  ConditionExpression: 'tickUntil = :until',
                  ExpressionAttributeValues: { ':until': n(untilMs) },
                },
              },
              { Put: { TableName, Item: { ...memoryKey, scalerMemory: s(record) } } },
            ],
          }),
        );
        return true;
      } catch (error) {
        if (leaseCheckFailed(error)) return false;
        throw error;
      }
    },
  };
}

function parseWork(key: string, text: string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new MalformedItemError(key, 'work', text);
  }
  const parsed = runWorkSchema.safeParse(json);
  if (!parsed.success) throw new MalformedItemError(key, 'work', json);
  return parsed.data;
}

/** A transaction cancelled because the lease item's condition failed (not a conflict or a throttle, which throw). */
function leaseCheckFailed(error: unknown): boolean {
  return error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed';
}

/** A REMOVE clause for the attributes named (empty names skipped), or nothing. */
function remove(names: readonly string[]): string {
  const named = names.filter((name) => name !== '');
  return named.length === 0 ? '' : ` REMOVE ${named.join(', ')}`;
}
