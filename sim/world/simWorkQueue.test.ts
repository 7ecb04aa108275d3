import { describe, expect, it } from 'vitest';
import { DEFAULT_LANE_SLACK_SECONDS } from '../../core/jobs/urgency.js';
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

const TWO_LANES = { laneSlackSeconds: DEFAULT_LANE_SLACK_SECONDS };

describeWorkQueueContract('simulated (virtual time, two lanes)', async () => {
  const loop = new EventLoop();
  const clock = virtualClock(loop);
  const stop = freeRunning(loop);
  return {
    queue: simQueuePort(createSimWorkQueue(loop, 3, emptyControlPlaneCounts(), TWO_LANES), clock),
    maxReceiveCount: 3,
    visibilityMs: 1_000,
    marginMs: 1,
    advance: (ms) => clock.sleep(ms),
    nowSeconds: () => loop.now / 1_000,
    close: stop,
  };
});

const message = (jobId: string, latestStart: number) => ({ runId: 'r', jobId, jobIndex: 0, latestStart });
const NOW = SIM_EPOCH_MS / 1_000;

describe('the simulated queue', () => {
  it('has no priority within a lane: the oldest visible first, as an SQS standard queue roughly does', () => {
    const queue = createSimWorkQueue(new EventLoop(), 3, emptyControlPlaneCounts());
    queue.send('light', [1_170, 600, 1_110, 600, 780].map((latestStart, i) => message(`j${i}`, NOW + latestStart)));
    expect(queue.receive('light', 10, 1_000).map((delivery) => delivery.message.jobId)).toEqual(['j0', 'j1', 'j2', 'j3', 'j4']);
  });

  it('asks the urgent lane first (one SQS request per lane asked), and a message stays in the lane it was sent to', async () => {
    const loop = new EventLoop();
    const counts = emptyControlPlaneCounts();
    const queue = createSimWorkQueue(loop, 3, counts, TWO_LANES);
    queue.send('light', [message('relaxed', NOW + 900), message('urgent', NOW + 299), message('late', NOW - 60)]);
    expect(counts.sqsRequests).toBe(1);
    const urgent = queue.receive('light', 10, 1_000);
    expect(urgent.map((delivery) => delivery.message.jobId)).toEqual(['urgent', 'late']);
    expect(counts.sqsRequests).toBe(2);
    for (const delivery of urgent) queue.ack('light', delivery.receipt);
    const [relaxed] = queue.receive('light', 10, 1_000);
    expect(relaxed?.message.jobId).toBe('relaxed');
    expect(counts.sqsRequests).toBe(6);
    // Ten minutes on the relaxed job has no slack left, but it comes back in its own lane, behind nothing urgent.
    loop.after(600_000, () => undefined);
    await loop.run({ until: () => loop.pending === 0, limitMs: Infinity, settleEveryEvent: false });
    expect(loop.now).toBe(SIM_EPOCH_MS + 600_000);
    queue.release('light', relaxed!.receipt, 0);
    queue.send('light', [message('fresh', NOW + 610)]);
    expect(queue.receive('light', 1, 1_000).map((delivery) => delivery.message.jobId)).toEqual(['fresh']);
  });

  it('long-polls the last lane only: an urgent message waits for the next receive', () => {
    const queue = createSimWorkQueue(new EventLoop(), 3, emptyControlPlaneCounts(), TWO_LANES);
    const got: string[] = [];
    queue.wait('light', { visibilityMs: 1_000, deliver: (delivery) => got.push(delivery.message.jobId) });
    queue.send('light', [message('urgent', NOW)]);
    expect(got).toEqual([]);
    queue.send('light', [message('relaxed', NOW + 900)]);
    expect(got).toEqual(['relaxed']);
    expect(queue.receive('light', 1, 1_000).map((delivery) => delivery.message.jobId)).toEqual(['urgent']);
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
    queue.send('light', Array.from({ length: 25 }, (_, i) => message(`j${i}`, NOW + i)));
    const [delivery] = queue.receive('light', 1, 1_000);
    queue.ack('light', delivery!.receipt);
    expect(counts.sqsRequests).toBe(3 + 1 + 1);
  });
});
