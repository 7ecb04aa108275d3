import { describe, expect, it } from 'vitest';
import { describeWorkQueueContract } from '../../test/contracts/workQueue.contract.js';
import { emptyControlPlaneCounts } from './controlPlaneMeter.js';
import { EventLoop, SIM_EPOCH_MS, settle } from '../engine/eventLoop.js';
import { simQueuePort } from './simQueuePort.js';
import { createSimWorkQueue } from './simWorkQueue.js';
import { virtualClock } from './virtualClock.js';

/** Runs the loop in the background, advancing simulated time whenever every promise has settled. */
function freeRunning(loop: EventLoop) {
  let closed = false;
  const driving = (async () => {
    while (!closed) {
      await loop.run({ until: () => closed || loop.pending === 0, limitMs: Infinity, settleEveryEvent: true });
      await settle();
    }
  })();
  return async () => {
    closed = true;
    await driving;
  };
}

describeWorkQueueContract('simulated (virtual time)', async () => {
  const loop = new EventLoop();
  const clock = virtualClock(loop);
  const stop = freeRunning(loop);
  return {
    queue: simQueuePort(createSimWorkQueue(loop, 3, emptyControlPlaneCounts()), clock),
    maxReceiveCount: 3,
    visibilityMs: 1_000,
    marginMs: 1,
    advance: (ms) => clock.sleep(ms),
    close: stop,
  };
});

const message = (jobId: string, priority: number) => ({ runId: 'r', jobId, jobIndex: 0, priority });

describe('the simulated queue', () => {
  it('delivers the longest remaining critical path first', () => {
    const queue = createSimWorkQueue(new EventLoop(), 3, emptyControlPlaneCounts());
    queue.send('light', [30, 600, 90, 600, 420].map((priority, i) => message(`j${i}`, priority)));
    expect(queue.receive('light', 10, 1_000).map((delivery) => delivery.message.jobId)).toEqual(['j1', 'j3', 'j4', 'j2', 'j0']);
  });

  it('hands a sent message to the longest-waiting long poll', () => {
    const queue = createSimWorkQueue(new EventLoop(), 3, emptyControlPlaneCounts());
    const got: string[] = [];
    queue.wait('heavy', { visibilityMs: 1_000, deliver: (delivery) => got.push(`first:${delivery.message.jobId}`) });
    queue.wait('heavy', { visibilityMs: 1_000, deliver: (delivery) => got.push(`second:${delivery.message.jobId}`) });
    queue.send('heavy', [message('a', 1)]);
    expect(got).toEqual(['first:a']);
    expect(queue.depth('heavy')).toEqual({ ready: 0, inFlight: 1, dead: 0 });
  });

  it('wakes a long poll when an unacknowledged message times out, at its visibility time', async () => {
    const loop = new EventLoop();
    const queue = createSimWorkQueue(loop, 3, emptyControlPlaneCounts());
    queue.send('light', [message('lost', 1)]);
    queue.receive('light', 1, 5_000);
    let deliveredAt = 0;
    queue.wait('light', { visibilityMs: 5_000, deliver: () => (deliveredAt = loop.now) });
    await loop.run({ until: () => deliveredAt > 0, limitMs: Infinity, settleEveryEvent: false });
    expect(deliveredAt - SIM_EPOCH_MS).toBe(5_000);
  });

  it('counts SQS requests: batches of ten for sends, one per other call', () => {
    const counts = emptyControlPlaneCounts();
    const queue = createSimWorkQueue(new EventLoop(), 3, counts);
    queue.send('light', Array.from({ length: 25 }, (_, i) => message(`j${i}`, i)));
    const [delivery] = queue.receive('light', 1, 1_000);
    queue.ack('light', delivery!.receipt);
    expect(counts.sqsRequests).toBe(3 + 1 + 1);
  });
});
