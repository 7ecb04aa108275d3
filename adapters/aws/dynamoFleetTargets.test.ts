import { GetItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { describeFleetTargetsContract } from '../../test/contracts/fleetTargets.contract.js';
import { emulatorClients, uniqueName } from '../../test/integration/support/awsTestEnvironment.js';
import { SCALER_MEMORY_MAX_BYTES } from '../../core/scale/scalerMemoryRecord.js';
import { createDynamoFleetTargets } from './dynamoFleetTargets.js';
import { ensureJobTable } from './dynamoJobTable.js';

describeFleetTargetsContract('AWS (DynamoDB Local)', async () => {
  const clients = emulatorClients();
  // A table per test: targets are one item per tier, so tests would otherwise see each other's.
  const tableName = uniqueName('fleet');
  await ensureJobTable(clients.dynamodb, tableName);
  return { targets: createDynamoFleetTargets({ client: clients.dynamodb, tableName }), close: async () => clients.destroy() };
});

/**
 * An item's size as DynamoDB bills it: attribute names and values in UTF-8 bytes (numbers approximated by their
 * decimal text, within a byte or two; DynamoDB developer guide, *Item sizes and formats*).
 */
function itemBytes(item: Record<string, AttributeValue>): number {
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
  return Object.entries(item).reduce((total, [name, value]) => total + bytes(name) + bytes(value.S ?? value.N ?? ''), 0);
}

describe('DynamoFleetTargets: the lease item stays small', () => {
  async function table() {
    const clients = emulatorClients();
    const tableName = uniqueName('fleet');
    await ensureJobTable(clients.dynamodb, tableName);
    const raw = async (pk: string) =>
      (await clients.dynamodb.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk } }, ConsistentRead: true }))).Item;
    return { clients, tableName, raw, targets: createDynamoFleetTargets({ client: clients.dynamodb, tableName }) };
  }

  it('keeps the scaler memory in its own item, so claiming and giving back the lease write under 1 KB (one write unit)', async () => {
    const { clients, raw, targets } = await table();
    try {
      expect(await targets.claimTick(1_000, 61_000)).toBe(true);
      expect(await targets.saveScalerMemory('x'.repeat(SCALER_MEMORY_MAX_BYTES), 61_000)).toBe(true);
      await targets.endTick(61_000, 2_000);
      expect(await targets.claimTick(3_000, 63_000)).toBe(true);
      const lease = (await raw('FLEETTICK'))!;
      expect(lease.scalerMemory).toBeUndefined();
      expect(itemBytes(lease)).toBeLessThan(1_024);
      expect((await raw('FLEETMEMORY'))!.scalerMemory!.S).toHaveLength(SCALER_MEMORY_MAX_BYTES);
    } finally {
      clients.destroy();
    }
  });

  it("reads a memory the previous release kept on the lease item until the first save, which moves it off the lease", async () => {
    const { clients, tableName, raw, targets } = await table();
    try {
      expect(await targets.claimTick(1_000, 61_000)).toBe(true);
      // The previous release's save: the memory as an attribute of the lease item.
      await clients.dynamodb.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: { S: 'FLEETTICK' } },
          UpdateExpression: 'SET scalerMemory = :record',
          ExpressionAttributeValues: { ':record': { S: '{"version":1,"old":true}' } },
        }),
      );
      expect(await targets.loadScalerMemory()).toBe('{"version":1,"old":true}');
      expect(await targets.saveScalerMemory('{"version":1,"new":true}', 61_000)).toBe(true);
      expect(await targets.loadScalerMemory()).toBe('{"version":1,"new":true}');
      expect((await raw('FLEETTICK'))!.scalerMemory).toBeUndefined();
      // A save refused for a lost lease moves nothing.
      expect(await targets.saveScalerMemory('{"version":1,"stale":true}', 1)).toBe(false);
      expect(await targets.loadScalerMemory()).toBe('{"version":1,"new":true}');
    } finally {
      clients.destroy();
    }
  });
});
