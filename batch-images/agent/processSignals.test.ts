import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { AgentStopRequested, SpotInterruptionNotice } from './errors/agentErrors.js';
import { SPOT_NOTICE_SIGNAL } from './spotNoticeSignal.js';

// Imported here, after counting, so the test can tell that importing the rule listens for nothing.
const listenersBefore = ['SIGTERM', 'SIGINT', SPOT_NOTICE_SIGNAL].map((signal) => process.listenerCount(signal));
const { listenForAgentSignals } = await import('./processSignals.js');

describe('listenForAgentSignals', () => {
  it('listens on nothing when imported: only listenAtStart.ts, the entrypoint\'s first import, applies it to the process', () => {
    expect(['SIGTERM', 'SIGINT', SPOT_NOTICE_SIGNAL].map((signal) => process.listenerCount(signal))).toEqual(listenersBefore);
  });

  it("turns Spot's notice into the notice signal and keeps listening, so a second notice cannot reach the default action", () => {
    const source = new EventEmitter();
    const signals = listenForAgentSignals(source);
    source.emit(SPOT_NOTICE_SIGNAL);
    expect(signals.notice.reason).toBeInstanceOf(SpotInterruptionNotice);
    expect(signals.stop.aborted).toBe(false);
    source.emit(SPOT_NOTICE_SIGNAL);
    expect(source.listenerCount(SPOT_NOTICE_SIGNAL)).toBe(1);
  });

  it('turns SIGTERM and SIGINT into the stop signal, naming the signal', () => {
    for (const signal of ['SIGTERM', 'SIGINT']) {
      const source = new EventEmitter();
      const signals = listenForAgentSignals(source);
      source.emit(signal);
      expect(signals.stop.reason).toBeInstanceOf(AgentStopRequested);
      expect((signals.stop.reason as Error).message).toBe(`${signal} received`);
      expect(signals.notice.aborted).toBe(false);
    }
  });
});
