import { describe, expect, it } from 'vitest';
import { DEFAULT_AGENT_SETTINGS } from './agentSettings.js';
import { SPOT_NOTICE_MS, interruptionVerdict, watchInterruptionNotice } from './interruptionNotice.js';

// 120 s notice, 20 s margin, × 1.5, 10 s upload: a proof fits while (expected − proving) × 1.5 + 10 s ≤ 100 s.
const settings = DEFAULT_AGENT_SETTINGS;

describe('interruptionVerdict', () => {
  it('defaults to the two minutes EC2 gives a Spot instance', () => {
    expect(SPOT_NOTICE_MS).toBe(120_000);
    expect(settings.interruptionNoticeMs).toBe(SPOT_NOTICE_MS);
  });

  it('lets a proof finish when what is left of it fits, handing it back only at notice − margin − upload', () => {
    // A 30-s VM proof 5 s in: 25 × 1.5 + 10 = 47.5 s needed of 100 s.
    expect(interruptionVerdict({ expectedSeconds: 30, provingForMs: 5_000, sinceNoticeMs: 0 }, settings)).toEqual({ kind: 'finish', handBackInMs: 90_000 });
  });

  it('hands back a proof with more left than the notice allows', () => {
    // A 180-s AVM proof 60 s in: 120 × 1.5 + 10 = 190 s needed.
    expect(interruptionVerdict({ expectedSeconds: 180, provingForMs: 60_000, sinceNoticeMs: 0 }, settings)).toEqual({ kind: 'handBack' });
  });

  it('finishes at exactly the boundary and hands back just past it', () => {
    // 60 s left × 1.5 + 10 = 100 s = 120 − 20.
    expect(interruptionVerdict({ expectedSeconds: 180, provingForMs: 120_000, sinceNoticeMs: 0 }, settings).kind).toBe('finish');
    expect(interruptionVerdict({ expectedSeconds: 180, provingForMs: 119_999, sinceNoticeMs: 0 }, settings).kind).toBe('handBack');
  });

  it('counts only what is left of the notice when judged after it came', () => {
    // 25 s left × 1.5 + 10 = 47.5 s; 100 − 50 = 50 s usable: fits, handed back by 40 s from now; 55 s after, not.
    expect(interruptionVerdict({ expectedSeconds: 30, provingForMs: 5_000, sinceNoticeMs: 50_000 }, settings)).toEqual({ kind: 'finish', handBackInMs: 40_000 });
    expect(interruptionVerdict({ expectedSeconds: 30, provingForMs: 5_000, sinceNoticeMs: 55_000 }, settings)).toEqual({ kind: 'handBack' });
  });

  it('hands back a proof already past its expected duration: how long it still runs is not known', () => {
    expect(interruptionVerdict({ expectedSeconds: 30, provingForMs: 30_000, sinceNoticeMs: 0 }, settings).kind).toBe('finish');
    expect(interruptionVerdict({ expectedSeconds: 30, provingForMs: 30_001, sinceNoticeMs: 0 }, settings).kind).toBe('handBack');
  });

  it('follows its parameters: a larger safety factor or margin hands back sooner', () => {
    const proof = { expectedSeconds: 60, provingForMs: 0, sinceNoticeMs: 0 };
    expect(interruptionVerdict(proof, settings).kind).toBe('finish');
    expect(interruptionVerdict(proof, { ...settings, remainingSafetyFactor: 2 }).kind).toBe('handBack');
    expect(interruptionVerdict(proof, { ...settings, interruptionMarginMs: 30_000 }).kind).toBe('handBack');
    // A margin as long as the notice turns it off: every proof goes back at once, as before the rule.
    expect(interruptionVerdict({ ...proof, expectedSeconds: 1 }, { ...settings, interruptionMarginMs: SPOT_NOTICE_MS }).kind).toBe('handBack');
  });
});

describe('watchInterruptionNotice', () => {
  it('notes when the notice came on the given clock, and nothing once disposed', () => {
    let now = 1_000;
    const clock = { now: () => now };
    const notice = new AbortController();
    const watch = watchInterruptionNotice(notice.signal, clock);
    expect(watch.at).toBeNull();
    now = 5_000;
    notice.abort();
    expect(watch.at).toBe(5_000);
    const late = new AbortController();
    const disposed = watchInterruptionNotice(late.signal, clock);
    disposed.dispose();
    late.abort();
    expect(disposed.at).toBeNull();
  });

  it('takes a notice that came before it started as coming now', () => {
    const notice = new AbortController();
    notice.abort();
    expect(watchInterruptionNotice(notice.signal, { now: () => 7 }).at).toBe(7);
  });
});
