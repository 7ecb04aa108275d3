import { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import type { SignedQuoteDemand, SignedQuotes } from '../../core/ports/signedQuotes.js';
import { JOB_TABLE } from './dynamoJobTable.js';
import { MalformedItemError } from './errors/awsAdapterErrors.js';
import { n, s } from './dynamoItems.js';

export interface DynamoSignedQuotesOptions {
  readonly client: DynamoDBClient;
  /** The job table: the quotes live in one item beside the runs, removed by its TTL once the last has lapsed. */
  readonly tableName: string;
}

const ITEM = 'SIGNEDQUOTES';
const PREFIX = 'q#';
/** Kept an hour past the last quote's deadline, then TTL removes the item (within days; `list` filters by deadline). */
const KEEP_SECONDS = 3_600;

const perTier = z.strictObject({ heavy: z.number().nonnegative(), light: z.number().nonnegative() });
const quoteSchema = z.strictObject({
  key: z.string(),
  startsAt: z.number(),
  deadline: z.number(),
  validUntil: z.number(),
  workSeconds: perTier,
  shape: z.strictObject({ criticalSeconds: z.number().nonnegative(), headSeconds: perTier, tailSeconds: perTier }),
});

/**
 * Signed quotes in DynamoDB, shared by every quote function instance: one item, one attribute per quote (`q#<run
 * id>`, its JSON), so concurrent records each SET their own attribute and none is lost. A few quotes are signed per
 * slot and each lapses at its deadline, so the item stays small; `list` removes the lapsed ones it reads, only if
 * no quote replaced them meanwhile.
 */
export function createDynamoSignedQuotes({ client, tableName: TableName }: DynamoSignedQuotesOptions): SignedQuotes {
  const Key = { [JOB_TABLE.partitionKey]: s(ITEM) };
  return {
    async record(quote) {
      await client.send(
        new UpdateItemCommand({
          TableName,
          Key,
          UpdateExpression: 'SET #quote = :quote, #ttl = :ttl',
          ExpressionAttributeNames: { '#quote': `${PREFIX}${quote.key}`, '#ttl': JOB_TABLE.ttlAttribute },
          ExpressionAttributeValues: { ':quote': s(JSON.stringify(quote)), ':ttl': n(Math.ceil(quote.deadline) + KEEP_SECONDS) },
        }),
      );
    },

    async list(nowSeconds) {
      const { Item: item } = await client.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }));
      const live: SignedQuoteDemand[] = [];
      const lapsed: [string, string][] = [];
      for (const [name, value] of Object.entries(item ?? {})) {
        if (!name.startsWith(PREFIX) || value.S === undefined) continue;
        const quote = parseQuote(name, value.S);
        if (quote.deadline > nowSeconds) live.push(quote);
        else lapsed.push([name, value.S]);
      }
      if (lapsed.length > 0) await removeUnchanged(lapsed);
      return live;
    },
  };

  /** Removes lapsed quotes, unless one was recorded again since it was read (then the next list removes it). */
  async function removeUnchanged(lapsed: readonly [string, string][]) {
    const names = Object.fromEntries(lapsed.map(([name], i) => [`#q${i}`, name]));
    const values = Object.fromEntries(lapsed.map(([, text], i) => [`:q${i}`, s(text)]));
    try {
      await client.send(
        new UpdateItemCommand({
          TableName,
          Key,
          UpdateExpression: `REMOVE ${Object.keys(names).join(', ')}`,
          ConditionExpression: lapsed.map((_, i) => `#q${i} = :q${i}`).join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

function parseQuote(attribute: string, text: string): SignedQuoteDemand {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new MalformedItemError(ITEM, attribute, text);
  }
  const parsed = quoteSchema.safeParse(json);
  if (!parsed.success) throw new MalformedItemError(ITEM, attribute, json);
  return parsed.data;
}
