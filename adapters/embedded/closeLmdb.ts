import type { RootDatabase } from 'lmdb';

/** How long a close may wait for pending writes. */
const CLOSE_WAIT_MS = 2_000;

/**
 * Closes an LMDB environment, waiting at most 2 s. After a failed commit (a full disk) lmdb-js never settles
 * close(): its pending writes never finish. LMDB is copy-on-write, so what was committed is intact either way; the
 * environment is released when the process exits.
 */
export async function closeLmdb(root: Pick<RootDatabase, 'close'>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)));
  try {
    await Promise.race([root.close(), gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}
