import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freshDirectory } from '../adapters/host/freshDirectory.js';

/**
 * Moves those of `names` that exist in `dataDir` into a new `archive/<UTC date and time>/` beside them and returns
 * that directory (undefined when there was nothing to move). A rename within one directory tree: nothing is copied,
 * nothing is lost.
 */
export function archiveState(dataDir: string, names: readonly string[], now: Date): string | undefined {
  const present = names.filter((name) => existsSync(join(dataDir, name)));
  if (present.length === 0) return undefined;
  const to = freshDirectory(join(dataDir, 'archive'), now);
  for (const name of present) renameSync(join(dataDir, name), join(to, name));
  return to;
}

/** Deletes everything in `dataDir` but `keep` (`--fresh`: the one deliberate way to discard a devnet's state). */
export function discardContents(dataDir: string, keep: readonly string[]): void {
  for (const name of readdirSync(dataDir)) {
    if (!keep.includes(name)) rmSync(join(dataDir, name), { recursive: true, force: true });
  }
}
