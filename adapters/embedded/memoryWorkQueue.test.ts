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
  close: async () => undefined,
}));

describe('the in-process queue', () => {
  it('delivers the longest remaining critical path first', async () => {
    const queue = createMemoryWorkQueue({ clock: systemClock, maxReceiveCount: 3 });
    const priorities = [30, 600, 90, 600, 420];
    await queue.send('light', priorities.map((priority, i) => ({ runId: 'r', jobId: `j${i}`, jobIndex: i, priority })));
    const order = await queue.receive('light', { max: 10, waitMs: 0, visibilityMs: 1_000 });
    expect(order.map((delivery) => delivery.message.jobId)).toEqual(['j1', 'j3', 'j4', 'j2', 'j0']);
  });
});
