import { TransactionCanceledException, TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LedgerEntry, LedgerVerdict, QuoteRequestLedger } from '../../core/ports/quoteRequests.js';
import { JOB_TABLE } from './dynamoJobTable.js';

export interface DynamoQuoteRequestLedgerOptions {
  readonly client: DynamoDBClient;
  /** The job table: the ledger's items live beside the runs, under their own key prefixes, expired by its TTL. */
  readonly tableName: string;
}

/**
 * The quote request ledger in DynamoDB, shared by every quote function instance. One transaction per request: put
 * `QREQ#<sequencer>#<nonce>` if absent (else: replayed) and add one to `QRATE#<sequencer>#<window>` while below the
 * limit (else: throttled). The transaction makes a throttled request leave no nonce, and a replay count nothing. TTL
 * removes nonces after their expiry and counters after their window (DynamoDB deletes expired items within days,
 * so the conditions, not TTL, decide).
 */
export function createDynamoQuoteRequestLedger({ client, tableName }: DynamoQuoteRequestLedgerOptions): QuoteRequestLedger {
  return {
    async admit({ sequencer, nonce, expiresAt, nowSeconds, limit, windowSeconds }: LedgerEntry): Promise<LedgerVerdict> {
      const who = sequencer.toLowerCase();
      const window = Math.floor(nowSeconds / windowSeconds);
      try {
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: { [JOB_TABLE.partitionKey]: { S: `QREQ#${who}#${nonce.toLowerCase()}` }, [JOB_TABLE.ttlAttribute]: { N: String(expiresAt + 60) } },
                  ConditionExpression: 'attribute_not_exists(#pk)',
                  ExpressionAttributeNames: { '#pk': JOB_TABLE.partitionKey },
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: { [JOB_TABLE.partitionKey]: { S: `QRATE#${who}#${window}` } },
                  UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
                  ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
                  ExpressionAttributeNames: { '#count': 'requests', '#ttl': JOB_TABLE.ttlAttribute },
                  ExpressionAttributeValues: { ':one': { N: '1' }, ':limit': { N: String(limit) }, ':ttl': { N: String((window + 2) * windowSeconds) } },
                },
              },
            ],
          }),
        );
        return 'admitted';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [nonceCheck, countCheck] = error.CancellationReasons ?? [];
        if (nonceCheck?.Code === 'ConditionalCheckFailed') return 'replayed';
        if (countCheck?.Code === 'ConditionalCheckFailed') return 'throttled';
        // Another request of the same sequencer in the same instant (TransactionConflict): it is flooding.
        if (error.CancellationReasons?.some((reason) => reason.Code === 'TransactionConflict')) return 'throttled';
        throw error;
      }
    },
  };
}
