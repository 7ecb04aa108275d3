// The agent container's entrypoint, bundled to /app/agent.mjs and run as `tini -- node /app/agent.mjs` (batch-images/Dockerfile; Batch runs it once per array child).
import { startAgent } from './startAgent.js';
import { AgentStopRequested, SpotInterruptionNotice } from './errors/agentErrors.js';
import { SPOT_NOTICE_SIGNAL } from './spotNoticeSignal.js';

const stop = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => stop.abort(new AgentStopRequested(`${signal} received`)));
}
const notice = new AbortController();
// `on`, not `once`: a repeated notice must not fall through to the signal's default action (exit).
process.on(SPOT_NOTICE_SIGNAL, () => notice.abort(new SpotInterruptionNotice(`${SPOT_NOTICE_SIGNAL} received`)));

let code = 0;
try {
  // Exit 0 whether the agent went idle or handed its job back when told to stop: Batch retries only real failures.
  await startAgent(process.env, { signal: stop.signal, notice: notice.signal });
} catch (error) {
  process.stderr.write(`${JSON.stringify({ level: 'ERROR', message: 'agent failed', error: error instanceof Error ? error.stack : String(error) })}\n`);
  code = 1;
}
// Nothing may keep a finished container alive (and billed): exit explicitly.
process.exit(code);
