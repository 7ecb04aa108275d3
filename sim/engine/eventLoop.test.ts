import { describe, expect, it } from 'vitest';
import { EventLoop, SIM_EPOCH_MS } from './eventLoop.js';
import { KeyedHeap } from './keyedHeap.js';
import { virtualClock } from '../world/virtualClock.js';

describe('the event loop', () => {
  it('fires events in time order, and events at the same time in the order they were scheduled', async () => {
    const loop = new EventLoop();
    const fired: string[] = [];
    loop.after(20, () => void fired.push('b'));
    loop.after(10, () => void fired.push('a'));
    loop.after(20, () => void fired.push('c'));
    const cancelled = loop.after(15, () => void fired.push('never'));
    cancelled.cancelled = true;
    loop.wake(20, { step: () => void fired.push('d') });
    await loop.run({ until: () => false, limitMs: Infinity, settleEveryEvent: false });
    expect(fired).toEqual(['a', 'b', 'c', 'd']);
    expect(loop.now).toBe(SIM_EPOCH_MS + 20);
    expect(loop.eventsFired).toBe(4);
  });

  it('lets async code on the virtual clock settle before time moves on', async () => {
    const loop = new EventLoop();
    const clock = virtualClock(loop);
    const seen: number[] = [];
    const worker = async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(1_000);
        await Promise.resolve();
        seen.push(clock.now() - SIM_EPOCH_MS);
      }
    };
    void worker();
    await loop.run({ until: () => false, limitMs: Infinity, settleEveryEvent: true });
    expect(seen).toEqual([1_000, 2_000, 3_000]);
  });

  it('never wakes a sleeper whose machine vanished, nor rejects it', async () => {
    const loop = new EventLoop();
    let alive = true;
    const clock = virtualClock(loop, () => alive);
    let outcome = 'pending';
    clock.sleep(5_000).then(
      () => (outcome = 'woke'),
      () => (outcome = 'rejected'),
    );
    alive = false;
    await loop.run({ until: () => false, limitMs: Infinity, settleEveryEvent: true });
    expect(outcome).toBe('pending');
  });
});

describe('the keyed heap', () => {
  it('pops by first key, then second key, for any insertion order', () => {
    const heap = new KeyedHeap<string>();
    const entries: [number, number][] = [];
    for (let i = 0; i < 500; i++) entries.push([Math.floor((i * 7919) % 97), i]);
    for (const [a, b] of [...entries].reverse()) heap.push(a, b, `${a}/${b}`);
    const popped: string[] = [];
    while (heap.size > 0) popped.push(heap.pop()!);
    const sorted = [...entries].sort((x, y) => x[0] - y[0] || x[1] - y[1]).map(([a, b]) => `${a}/${b}`);
    expect(popped).toEqual(sorted);
    expect(heap.peekKey()).toBe(Infinity);
  });

  it('keeps that order while pushes and pops interleave, as the event list does', () => {
    const heap = new KeyedHeap<number>();
    const reference: [number, number][] = [];
    let state = 7;
    const next = () => (state = (state * 48_271) % 2_147_483_647);
    for (let step = 0; step < 5_000; step++) {
      if (next() % 3 !== 0 || reference.length === 0) {
        const key: [number, number] = [next() % 50, step];
        heap.push(key[0], key[1], step);
        reference.push(key);
        reference.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      } else {
        expect(heap.peekKey()).toBe(reference[0]![0]);
        expect(heap.pop()).toBe(reference.shift()![1]);
      }
      expect(heap.size).toBe(reference.length);
    }
  });
});
