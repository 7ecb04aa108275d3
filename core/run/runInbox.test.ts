import { describe, expect, it } from 'vitest';
import { manualClock } from '../../test/support/manualClock.js';
import { RunInbox } from './runInbox.js';

/** Starts `inbox.wait` and reports whether it has returned, after letting pending callbacks run. */
function waiting(inbox: RunInbox, ms: number, stop = new AbortController()) {
  const clock = manualClock();
  let returned = false;
  void inbox.wait(clock, ms, stop.signal).then(() => (returned = true));
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    clock,
    stop,
    returned: async () => {
      await settle();
      return returned;
    },
  };
}

describe('RunInbox', () => {
  it('keeps the first root digest and the first failure reason', () => {
    const inbox = new RunInbox();
    inbox.root('sha256:first');
    inbox.root('sha256:second');
    inbox.fail('job failed');
    inbox.fail('pruned');
    expect(inbox).toMatchObject({ rootDigest: 'sha256:first', failReason: 'job failed' });
  });

  it('waits the full time on the clock when nothing arrives', async () => {
    const w = waiting(new RunInbox(), 1_000);
    await w.clock.advance(999);
    expect(await w.returned()).toBe(false);
    await w.clock.advance(1);
    expect(await w.returned()).toBe(true);
  });

  it('wakes at once when the root is proven, the run fails, or the walk is stopped', async () => {
    for (const signal of ['root', 'fail', 'stop'] as const) {
      const inbox = new RunInbox();
      const w = waiting(inbox, 60_000);
      expect(await w.returned()).toBe(false);
      if (signal === 'root') inbox.root('sha256:root');
      else if (signal === 'fail') inbox.fail('pruned');
      else w.stop.abort();
      expect(await w.returned()).toBe(true);
    }
  });

  it('does not wait at all when a signal is already there or the walk is stopped', async () => {
    const rooted = new RunInbox();
    rooted.root('sha256:root');
    expect(await waiting(rooted, 60_000).returned()).toBe(true);
    const failed = new RunInbox();
    failed.fail('pruned');
    expect(await waiting(failed, 60_000).returned()).toBe(true);
    const stop = new AbortController();
    stop.abort();
    expect(await waiting(new RunInbox(), 60_000, stop).returned()).toBe(true);
  });

  it('wakes only the wait in progress: a signal after it returned is kept for the next one', async () => {
    const inbox = new RunInbox();
    const first = waiting(inbox, 10);
    await first.clock.advance(10);
    expect(await first.returned()).toBe(true);
    inbox.root('sha256:late');
    expect(inbox.rootDigest).toBe('sha256:late');
    expect(await waiting(inbox, 60_000).returned()).toBe(true);
  });
});
