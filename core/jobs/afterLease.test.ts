import { describe, expect, it } from 'vitest';
import { afterLease, leaseRequestFor } from './afterLease.js';

const settings = { visibilityMs: 10_000, retryDelayMs: 700 };
const NOW = 1_000_000;

describe('leaseRequestFor', () => {
  it('asks for a lease as long as the message stays invisible', () => {
    expect(leaseRequestFor('r', 'r/vm/0.0', 'agent-a', NOW, settings)).toEqual({ runId: 'r', jobId: 'r/vm/0.0', owner: 'agent-a', now: NOW, leaseMs: 10_000 });
  });
});

describe('afterLease', () => {
  it('proves a job it leased, from the children the lease lists', () => {
    const children = { 'r/vm/0.0': 'sha256:aa' };
    expect(afterLease({ kind: 'leased', failures: 1, children }, NOW, settings)).toEqual({ kind: 'prove', children });
  });

  it('releases the parent of a job already done, with the stored digest', () => {
    expect(afterLease({ kind: 'done', digest: 'sha256:bb' }, NOW, settings)).toEqual({ kind: 'done', digest: 'sha256:bb' });
  });

  it("retries a held job when the holder's lease runs out, but not before a second nor after one visibility", () => {
    const held = (expiresAt: number) => afterLease({ kind: 'held', owner: 'agent-b', expiresAt }, NOW, settings);
    expect(held(NOW + 4_000)).toEqual({ kind: 'retry', delayMs: 4_000, why: 'leased by agent-b' });
    expect(held(NOW + 1_000)).toMatchObject({ delayMs: 1_000 });
    expect(held(NOW + 999)).toMatchObject({ delayMs: 1_000 });
    expect(held(NOW - 5_000)).toMatchObject({ delayMs: 1_000 });
    expect(held(NOW + 10_000)).toMatchObject({ delayMs: 10_000 });
    expect(held(NOW + 10_001)).toMatchObject({ delayMs: 10_000 });
  });

  it('retries a job failed for good after the retry delay', () => {
    expect(afterLease({ kind: 'failed', error: 'boom' }, NOW, settings)).toEqual({ kind: 'retry', delayMs: 700, why: 'failed for good' });
  });
});
