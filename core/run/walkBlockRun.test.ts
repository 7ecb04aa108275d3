import { keccak256 } from 'viem';
import { describe, expect, it } from 'vitest';
import { jobIdAt } from '../plan/jobAt.js';
import type { ProvingRun, RunPatch, RunState } from '../ports/provingRun.js';
import { memoryRunWorld } from '../../test/support/memoryRunWorld.js';
import { RunInbox } from './runInbox.js';
import type { RunSettings } from './runDependencies.js';
import { walkBlockRun } from './walkBlockRun.js';
import { flush, settled } from '../../test/support/eventLoop.js';


/**
 * A run walked on the memory world: `from` says where the store has it when the walk starts (planned: from the reveal).
 * The root proof's bytes are stored, so only its arrival is up to the test.
 */
async function walk(
  from: RunState | 'revealed' = 'revealed',
  { settings = {}, before = () => undefined }: { settings?: Partial<RunSettings>; before?: (w: ReturnType<typeof memoryRunWorld>) => void } = {},
) {
  const w = memoryRunWorld();
  const rootDigest = await w.artifacts.put(new TextEncoder().encode('root proof'));
  const patch: RunPatch = { provingStartedAt: w.clock.now(), ...(from === 'submitting' ? { rootDigest } : {}) };
  const request = from === 'revealed' ? w.reveal(1n) : (await w.runIn(from, patch)).request;
  before(w);
  const inbox = new RunInbox();
  const stop = new AbortController();
  let result: ProvingRun | null | undefined;
  const done = walkBlockRun(w.deps, { ...w.settings, ...settings }, request, inbox, stop.signal).then((run) => (result = run));
  await flush();
  const state = async () => (await w.store.getRun(request.runId))?.state;
  const calls = (name: 'latestTimestamp' | 'blockState' | 'submitProof') => w.chain.calls.get(name) ?? 0;
  return { w, request, inbox, stop, rootDigest, done, state, calls, result: () => result };
}

describe('walkBlockRun', () => {
  it('walks a revealed block through every state to settled, the root arriving through the inbox', async () => {
    const t = await walk();
    expect(await t.state()).toBe('proving');
    expect(t.result()).toBeUndefined();
    t.inbox.root(t.rootDigest);
    expect(await settled(t.done)).toMatchObject({ state: 'settled', rootDigest: t.rootDigest });
    expect(t.w.chain.submissions).toHaveLength(1);
  });

  it('picks up a root proven while nobody listened (a restart), from the job store', async () => {
    const t0 = memoryRunWorld();
    const { run, plan, request } = await t0.runIn('proving', { provingStartedAt: t0.clock.now() });
    const rootDigest = await t0.artifacts.put(new TextEncoder().encode('root proof'));
    await t0.store.completeJob(run.runId, jobIdAt(plan, plan.rootIndex), rootDigest, 0);
    const walked = await settled(walkBlockRun(t0.deps, t0.settings, request, new RunInbox(), new AbortController().signal));
    expect(walked).toMatchObject({ state: 'settled', rootDigest });
  });

  it('re-scales every rescaleMs while the root is not there, and abandons the run at the deadline', async () => {
    const t = await walk();
    const deadline = t.request.provingDeadline;
    t.w.chain.now = deadline - 1;
    const ticks = t.calls('latestTimestamp');
    await t.w.clock.advance(t.w.settings.rescaleMs - 1);
    await flush();
    expect(t.calls('latestTimestamp')).toBe(ticks);
    await t.w.clock.advance(1);
    await flush();
    expect(t.calls('latestTimestamp')).toBeGreaterThan(ticks);
    expect(await t.state()).toBe('proving');
    t.w.chain.now = deadline;
    await t.w.clock.advance(t.w.settings.rescaleMs);
    expect(await settled(t.done)).toMatchObject({ state: 'abandoned', stateReason: 'the proving deadline passed before the root proof was ready' });
  });

  it('abandons the run with the reason it was failed with, unless its proof is already confirmed', async () => {
    const failing = await walk();
    failing.inbox.fail('job r/vm/0.0 (vm) failed 3 times');
    expect(await failing.done).toMatchObject({ state: 'abandoned', stateReason: 'job r/vm/0.0 (vm) failed 3 times' });

    const w = memoryRunWorld();
    const { request } = await w.runIn('confirmed');
    const inbox = new RunInbox();
    inbox.fail('the block was pruned');
    expect(await settled(walkBlockRun(w.deps, w.settings, request, inbox, new AbortController().signal))).toMatchObject({ state: 'settled' });
  });

  it('ends at once for a refused body', async () => {
    const w = memoryRunWorld();
    const request = { ...w.reveal(1n), bodyHash: `0x${'12'.repeat(32)}` as const, runId: 'b1-refused' };
    const run = await settled(walkBlockRun(w.deps, w.settings, request, new RunInbox(), new AbortController().signal));
    expect(run?.stateReason).toContain('BodyHashMismatchError');
    expect(w.capacity.starts).toEqual([]);
  });

  it('retries a failed step after a back-off that doubles with each consecutive failure, and resets after a success', async () => {
    const t = await walk();
    t.w.chain.failNext.add('latestTimestamp');
    await t.w.clock.advance(t.w.settings.rescaleMs);
    await flush();
    expect(t.w.log.lines).toContainEqual({
      level: 'warn',
      message: 'block run step failed; retrying',
      fields: { runId: t.request.runId, state: 'proving', errors: 1, error: 'injected RPC failure in latestTimestamp' },
    });
    const calls = t.calls('latestTimestamp');
    // First failure: 2 × submitRetryMs (500 ms).
    await t.w.clock.advance(999);
    await flush();
    expect(t.calls('latestTimestamp')).toBe(calls);
    t.w.chain.failNext.add('latestTimestamp');
    await t.w.clock.advance(1);
    await flush();
    expect(t.w.log.lines.filter((line) => line.message === 'block run step failed; retrying').map((line) => line.fields.errors)).toEqual([1, 2]);
    // Second in a row: 4 × 500 ms.
    const again = t.calls('latestTimestamp');
    await t.w.clock.advance(1_999);
    await flush();
    expect(t.calls('latestTimestamp')).toBe(again);
    await t.w.clock.advance(1);
    await flush();
    expect(t.calls('latestTimestamp')).toBeGreaterThan(again);
    // A success resets the count: the next failure waits 1 s again.
    await t.w.clock.advance(t.w.settings.rescaleMs);
    await flush();
    t.w.chain.failNext.add('latestTimestamp');
    await t.w.clock.advance(t.w.settings.rescaleMs);
    await flush();
    expect(t.w.log.lines.filter((line) => line.message === 'block run step failed; retrying').at(-1)?.fields.errors).toBe(1);
    t.inbox.root(t.rootDigest);
    await t.w.clock.advance(1_000);
    expect((await settled(t.done))?.state).toBe('settled');
  });

  it('caps the back-off at 30 s', async () => {
    const t = await walk('revealed', { settings: { submitRetryMs: 20_000 } });
    t.w.chain.failNext.add('latestTimestamp');
    await t.w.clock.advance(t.w.settings.rescaleMs);
    await flush();
    const calls = t.calls('latestTimestamp');
    await t.w.clock.advance(29_999);
    await flush();
    expect(t.calls('latestTimestamp')).toBe(calls);
    await t.w.clock.advance(1);
    await flush();
    expect(t.calls('latestTimestamp')).toBeGreaterThan(calls);
  });

  it('waits submitRetryMs between submit attempts while the parent is unproven', async () => {
    const t = await walk('submitting', { before: (w) => w.chain.setState(0n, { status: 'revealed' }) });
    expect(t.calls('submitProof')).toBe(0);
    const reads = t.calls('blockState');
    await t.w.clock.advance(t.w.settings.submitRetryMs - 1);
    await flush();
    expect(t.calls('blockState')).toBe(reads);
    t.w.chain.setState(0n, { status: 'proven' });
    await t.w.clock.advance(1);
    expect(await settled(t.done)).toMatchObject({ state: 'settled' });
    expect(t.calls('submitProof')).toBe(1);
  });

  it('waits submitRetryMs after a reverted submission, then sends again', async () => {
    // The first transaction reverts (the fake names transactions by their count).
    const t = await walk('submitting', { before: (w) => w.chain.receipts.set(keccak256('0x01'), 'reverted') });
    expect(t.calls('submitProof')).toBe(1);
    await t.w.clock.advance(t.w.settings.submitRetryMs - 1);
    await flush();
    expect(t.calls('submitProof')).toBe(1);
    await t.w.clock.advance(1);
    expect(await settled(t.done)).toMatchObject({ state: 'settled' });
    expect(t.calls('submitProof')).toBe(2);
  });

  it('pauses when stopped, leaving the run where it is for the next process', async () => {
    const t = await walk();
    t.stop.abort();
    await t.w.clock.advance(t.w.settings.rescaleMs);
    expect(await settled(t.done)).toMatchObject({ state: 'proving' });
    expect(await t.state()).toBe('proving');
  });
});
