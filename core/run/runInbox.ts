import type { Clock } from '../ports/clock.js';

/** Signals for one in-process block run: its root is proven, or it must be abandoned. */
export class RunInbox {
  rootDigest = '';
  failReason = '';
  private wake: (() => void) | null = null;

  root(digest: string): void {
    this.rootDigest ||= digest;
    this.wake?.();
  }

  fail(reason: string): void {
    this.failReason ||= reason;
    this.wake?.();
  }

  /** Waits `ms`, or less when a signal arrives or `stop` aborts. */
  async wait(clock: Clock, ms: number, stop: AbortSignal): Promise<void> {
    if (this.rootDigest || this.failReason || stop.aborted) return;
    const woken = new AbortController();
    const onStop = () => woken.abort();
    stop.addEventListener('abort', onStop, { once: true });
    this.wake = () => woken.abort();
    try {
      await clock.sleep(ms, woken.signal);
    } catch {
      // Woken early.
    } finally {
      this.wake = null;
      stop.removeEventListener('abort', onStop);
    }
  }
}
