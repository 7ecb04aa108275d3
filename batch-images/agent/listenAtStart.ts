// The agent entrypoint's first import (batch-images/agent/main.ts). ES modules, and the esbuild bundle the image runs,
// evaluate imports in order, so this runs before the AWS SDK, viem and the rest of the agent load: from here on
// SIGTERM and Spot's notice are recorded, not fatal. Node's default action for SIGUSR2 is to exit, so a notice that
// reaches node before this module runs still kills it; the image's tini turns that death into exit 0 (`-e 140`,
// batch-images/Dockerfile). Kept apart from processSignals.ts so that importing the rule (its test) listens for nothing.
import { listenForAgentSignals } from './processSignals.js';

/** This process's signals, listened for as this module is evaluated. */
export const agentSignals = listenForAgentSignals(process);
