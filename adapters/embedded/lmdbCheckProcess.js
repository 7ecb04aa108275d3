// The child process `checkLmdbEnvironments` spawns: it opens each LMDB environment read-only and reads every entry,
// so a damaged file crashes this process (LMDB segfaults on some corruptions) instead of the devnet. It names the
// environment before reading it; the parent blames the last one named when it dies of a signal.
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { open } from 'lmdb';

const environments = JSON.parse(process.argv[2] ?? '[]');
for (const { path, databases } of environments) {
  process.stdout.write(`${JSON.stringify({ checking: path })}\n`);
  // lmdb-js keeps an environment whose path has an extension in that one file, otherwise in <path>/data.mdb.
  if (!existsSync(extname(path) ? path : join(path, 'data.mdb'))) continue;
  try {
    const root = open({ path, readOnly: true, encoding: 'binary', compression: false });
    for (const database of [root, ...databases.map((name) => root.openDB({ name, encoding: 'binary', compression: false }))]) {
      for (const entry of database.getRange()) void entry;
    }
    await root.close();
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ corrupt: path, reason: error instanceof Error ? error.message : String(error), code: error?.code })}\n`);
    process.exit(3);
  }
}
process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
