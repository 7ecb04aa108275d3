// The agent container's entrypoint: `node --import tsx batch-images/agent/main.ts` (Batch runs it once per array child).
import { startAgent } from './startAgent.js';
import { AgentStopRequested } from './errors/agentErrors.js';

const stop = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => stop.abort(new AgentStopRequested(`${signal} received`)));
}

let code = 0;
try {
  // Exit 0 whether the agent went idle or handed its job back when told to stop: Batch retries only real failures.
  await startAgent(process.env, { signal: stop.signal });
} catch (error) {
  process.stderr.write(`${JSON.stringify({ level: 'ERROR', message: 'agent failed', error: error instanceof Error ? error.stack : String(error) })}\n`);
  code = 1;
}
// Nothing may keep a finished container alive (and billed): exit explicitly.
process.exit(code);
