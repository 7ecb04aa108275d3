import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import type { FleetTargets, PublishedTarget } from '../../core/ports/fleetTargets.js';
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
 * Fleet targets in the job table, one item per tier (`pk = FLEET#<tier>`): the scaler puts it each tick, agents read
 * it between jobs and claim a leave with a conditional update. DynamoDB conditions cannot do arithmetic, so the item
 * keeps the surplus still to leave (`surplus`, decremented by each claim) beside the count of leaves (`leaving`).
 *
 * Agents' reads are eventually consistent (half a read unit; a target at most about a second stale is fine, since the
 * claim itself is conditional): one item serves ~6,000 such reads a second (3,000 RCU per partition), which at one
 * check per 30-s job is ~180,000 agents of a tier.
 */
export function createDynamoFleetTargets({ client, tableName: TableName }: DynamoFleetTargetsOptions): FleetTargets {
  const key = (tier: Tier) => ({ pk: s(`FLEET#${tier}`) });
  return {
    async get(tier): Promise<PublishedTarget | null> {
      const { Item: item } = await client.send(new GetItemCommand({ TableName, Key: key(tier) }));
      if (!item) return null;
      return {
        agents: requiredNumber(item, 'agents'),
        observed: requiredNumber(item, 'observed'),
        quotaAgents: requiredNumber(item, 'quotaAgents'),
        aboveSince: optionalNumber(item, 'aboveSince') ?? null,
        work: parseWork(`FLEET#${tier}`, requiredString(item, 'work')),
        publishedAt: requiredNumber(item, 'publishedAt'),
        leaving: requiredNumber(item, 'leaving'),
      };
    },

    async put(tier, target) {
      await client.send(
        new PutItemCommand({
          TableName,
          Item: {
            ...key(tier),
            agents: n(target.agents),
            observed: n(target.observed),
            quotaAgents: n(target.quotaAgents),
            ...(target.aboveSince === null ? {} : { aboveSince: n(target.aboveSince) }),
            work: s(JSON.stringify(target.work)),
            publishedAt: n(target.publishedAt),
            leaving: n(0),
            surplus: n(Math.max(0, target.observed - target.agents)),
          },
        }),
      );
    },

    async claimLeave(tier) {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName,
            Key: key(tier),
            UpdateExpression: 'SET surplus = surplus - :one, leaving = leaving + :one',
            ConditionExpression: 'surplus > :zero',
            ExpressionAttributeValues: { ':one': n(1), ':zero': n(0) },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
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
