// How the agent's process signals become its stop and notice signals. Pure: listenAtStart.ts, main.ts's first import,
// applies it to `process`.
import { AgentStopRequested, SpotInterruptionNotice } from './errors/agentErrors.js';
import { SPOT_NOTICE_SIGNAL } from './spotNoticeSignal.js';

/** What the agent is told through its process's signals, kept from the moment its entrypoint starts. */
export interface AgentSignals {
  /** Aborts on SIGTERM or SIGINT (`AgentStopRequested`): the agent hands its current job back and returns. */
  readonly stop: AbortSignal;
  /**
   * Aborts on Spot's notice (`SpotInterruptionNotice`). An aborted signal stays aborted, so a notice that came while
   * the agent was loading reaches it once it runs: it then takes no job (`runAgent`) and exits.
   */
  readonly notice: AbortSignal;
}

/** Where the signals come from: `process`, or an emitter in a test. */
export type SignalSource = Pick<NodeJS.EventEmitter, 'on' | 'once'>;

/** Listens on `source` for the agent's signals, at once. */
export function listenForAgentSignals(source: SignalSource): AgentSignals {
  const stop = new AbortController();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    source.once(signal, () => stop.abort(new AgentStopRequested(`${signal} received`)));
  }
  const notice = new AbortController();
  // `on`, not `once`: a repeated notice must not fall through to the signal's default action (exit).
  source.on(SPOT_NOTICE_SIGNAL, () => notice.abort(new SpotInterruptionNotice(`${SPOT_NOTICE_SIGNAL} received`)));
  return { stop: stop.signal, notice: notice.signal };
}
