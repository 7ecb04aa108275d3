import type { ProverBackend } from '../../../core/ports/proverBackend.js';
import { createBarretenbergProver } from './barretenbergProver.js';
import { defaultCacheDirectory } from './cacheDirectory.js';
import { prepareNoirTree, type SrsKind } from './noirTreeSetup.js';

export interface NoirTreeAgentBackendOptions {
  readonly srs: SrsKind;
  readonly timeoutMs: number;
  /** @default defaultCacheDirectory() */
  readonly cacheDirectory?: string;
  readonly sources?: string;
}

/**
 * An agent's Barretenberg backend: on its first start a machine fetches (Ignition) or makes (development) the SRS and
 * builds the circuits, then every start reuses them from the cache.
 */
export async function noirTreeAgentBackend(options: NoirTreeAgentBackendOptions): Promise<ProverBackend> {
  const setup = await prepareNoirTree({
    cacheDirectory: options.cacheDirectory ?? defaultCacheDirectory(),
    srs: options.srs,
    ...(options.sources ? { sources: options.sources } : {}),
  });
  return createBarretenbergProver({ circuits: setup.circuits, bbBinary: setup.bbBinary, timeoutMs: options.timeoutMs });
}
