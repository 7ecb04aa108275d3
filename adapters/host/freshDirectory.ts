import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDirectory } from './ensureDirectory.js';

/** Creates and returns `<root>/<UTC date and time>` (`2026-12-03T13-31-35Z`; a second one that second gets `-2`). */
export function freshDirectory(root: string, now: Date): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
  ensureDirectory(root);
  for (let n = 1; ; n++) {
    const candidate = join(root, n === 1 ? stamp : `${stamp}-${n}`);
    if (existsSync(candidate)) continue;
    ensureDirectory(candidate);
    return candidate;
  }
}
