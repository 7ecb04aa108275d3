import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CorruptStoreError } from '../../core/errors/index.js';
import { checkLmdbEnvironments } from './checkLmdbEnvironments.js';
import { LMDB_JOB_STORE_DATABASES, openLmdbJobStore } from './lmdbJobStore.js';
import { sampleRun } from '../../test/support/sampleRun.js';

describe('checkLmdbEnvironments', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const jobStoreAt = async (path: string) => {
    const store = openLmdbJobStore(path);
    await store.createRun(sampleRun());
    await store.close();
    return { path, databases: LMDB_JOB_STORE_DATABASES };
  };

  it('passes a sound store and skips one that does not exist yet', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-lmdb-'));
    await expect(checkLmdbEnvironments([await jobStoreAt(join(dir, 'store')), { path: join(dir, 'nothing-yet'), databases: [] }])).resolves.toBeUndefined();
  });

  it('reports a store whose header was overwritten as corrupt, where opening it in this process would segfault', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-lmdb-'));
    const sound = await jobStoreAt(join(dir, 'sound'));
    const damaged = await jobStoreAt(join(dir, 'damaged'));
    const bytes = Buffer.alloc(8192);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
    writeFileSync(join(damaged.path, 'data.mdb'), bytes, { flag: 'r+' });
    const checked = checkLmdbEnvironments([sound, damaged]);
    await expect(checked).rejects.toThrow(CorruptStoreError);
    await expect(checked).rejects.toThrow(`the store at ${damaged.path} is corrupt`);
  });

  it('checks an environment kept in one file (a path with an extension, as the artifact store opens small.lmdb)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-lmdb-'));
    writeFileSync(join(dir, 'small.lmdb'), 'not a database\n'.repeat(1000));
    await expect(checkLmdbEnvironments([{ path: join(dir, 'small.lmdb'), databases: [] }])).rejects.toThrow(CorruptStoreError);
  });

  it('reports a file that is not LMDB at all as corrupt', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-lmdb-'));
    mkdirSync(join(dir, 'store'));
    writeFileSync(join(dir, 'store', 'data.mdb'), 'not a database\n'.repeat(1000));
    await expect(checkLmdbEnvironments([{ path: join(dir, 'store'), databases: LMDB_JOB_STORE_DATABASES }])).rejects.toThrow(CorruptStoreError);
  });
});
