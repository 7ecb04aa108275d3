import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where prover-burst keeps what it builds once per machine (the development SRS, compiled circuits and their keys):
 * `$PROVER_BURST_CACHE`, else `$XDG_CACHE_HOME/prover-burst`, else `~/.cache/prover-burst`. Outside the work tree,
 * so every clone on the machine shares it; everything in it is content-addressed and checked by digest.
 */
export function defaultCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PROVER_BURST_CACHE) return env.PROVER_BURST_CACHE;
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'prover-burst');
}
