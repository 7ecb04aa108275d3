import type { TestProject } from 'vitest/node';
import { startEmulators, type EmulatorEndpoints } from './startEmulators.js';

declare module 'vitest' {
  export interface ProvidedContext {
    awsEmulators: EmulatorEndpoints;
  }
}

/**
 * Starts one set of emulators (LocalStack, DynamoDB Local, the fake Batch API) for every integration suite of the
 * run and stops them, by process group, when the run ends.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The test workers forked after this inherit it: SDK releases after January 2027 need Node 22, and say so per process.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Said only when there is something to wait for (the first run installs LocalStack).
  const log = (line: string) => process.stderr.write(`[aws emulators] ${line}\n`);
  const emulators = await startEmulators(log);
  project.provide('awsEmulators', emulators.endpoints);
  return () => emulators.stop();
}
