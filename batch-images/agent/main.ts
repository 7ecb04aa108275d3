// The agent container's entrypoint, bundled to /app/agent.mjs and run as `tini -e 140 -- node /app/agent.mjs` (batch-images/Dockerfile; Batch runs it once per array child).
// listenAtStart must stay the first import: it listens for SIGTERM and Spot's notice before anything else loads.
import { agentSignals } from './listenAtStart.js';
import { startAgent } from './startAgent.js';

let code = 0;
try {
  // Exit 0 whether the agent went idle or handed its job back when told to stop: Batch retries only real failures.
  await startAgent(process.env, { signal: agentSignals.stop, notice: agentSignals.notice });
} catch (error) {
  process.stderr.write(`${JSON.stringify({ level: 'ERROR', message: 'agent failed', error: error instanceof Error ? error.stack : String(error) })}\n`);
  code = 1;
}
// Nothing may keep a finished container alive (and billed): exit explicitly.
process.exit(code);
