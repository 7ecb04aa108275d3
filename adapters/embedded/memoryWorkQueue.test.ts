import { describe, expect, it } from 'vitest';
import { describeWorkQueueContract } from '../../test/contracts/workQueue.contract.js';
import { createMemoryWorkQueue } from './memoryWorkQueue.js';
import { systemClock } from './systemClock.js';

describeWorkQueueContract('embedded (in-process)', async () => ({
  queue: createMemoryWorkQueue({ clock: systemClock, maxReceiveCount: 3 }),
  maxReceiveCount: 3,
  visibilityMs: 100,
  marginMs: 50,
  advance: (ms) => systemClock.sleep(ms),
  nowSeconds: () => systemClock.now() / 1_000,
  close: async () => undefined,
}));

describe('the in-process queue', () => {
  it('delivers in exact latest-start order across runs, the oldest first among equals', async () => {
    const queue = createMemoryWorkQueue({ clock: systemClock, maxReceiveCount: 3 });
    const latestStarts = [1_170, 600, 1_110, 600, 780];
    await queue.send('light', latestStarts.map((latestStart, i) => ({ runId: `r${i % 2}`, jobId: `j${i}`, jobIndex: i, latestStart })));
    const order = await queue.receive('light', { max: 10, waitMs: 0, visibilityMs: 1_000 });
    expect(order.map((delivery) => delivery.message.jobId)).toEqual(['j1', 'j3', 'j4', 'j2', 'j0']);
  });
});
