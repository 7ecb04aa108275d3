import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { identityOf } from '../adapters/host/processIdentity.js';
import { lockDataDirectory } from './dataDirectoryLock.js';
import { DataDirectoryInUseError } from './devnetErrors.js';

const NOW = new Date('2026-01-02T03:04:05Z');

/** The pid of a process that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

/** Without /proc a reused pid cannot be told apart from its first owner. */
const hasProc = identityOf(process.pid).startTicks !== undefined;

describe('the data directory lock', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is taken once: a second devnet is refused with the holder named, until the first releases it', () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-lock-'));
    const lock = lockDataDirectory(dir, NOW);
    expect(JSON.parse(readFileSync(join(dir, 'devnet.lock'), 'utf8'))).toMatchObject({ pid: process.pid, since: NOW.toISOString() });
    expect(() => lockDataDirectory(dir, NOW)).toThrow(new DataDirectoryInUseError(dir, process.pid, NOW.toISOString()));
    lock.release();
    expect(existsSync(join(dir, 'devnet.lock'))).toBe(false);
    lockDataDirectory(dir, NOW).release();
  });

  it('takes over a lock whose process is gone, and says whose it was', () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-lock-'));
    const pid = deadPid();
    writeFileSync(join(dir, 'devnet.lock'), JSON.stringify({ pid, since: '2025-01-01T00:00:00.000Z' }));
    const lock = lockDataDirectory(dir, NOW);
    expect(lock.recoveredFrom).toEqual({ pid, since: '2025-01-01T00:00:00.000Z' });
    expect(JSON.parse(readFileSync(join(dir, 'devnet.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it.skipIf(!hasProc)('takes over a lock whose pid now belongs to another process (its start time differs), and an unreadable one', () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-lock-'));
    const me = identityOf(process.pid);
    writeFileSync(join(dir, 'devnet.lock'), JSON.stringify({ pid: process.pid, startTicks: me.startTicks! - 1, since: 'earlier' }));
    lockDataDirectory(dir, NOW).release();
    writeFileSync(join(dir, 'devnet.lock'), '{"pid":');
    lockDataDirectory(dir, NOW).release();
  });

  it('leaves a lock alone that is not its own when releasing', () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-lock-'));
    const lock = lockDataDirectory(dir, NOW);
    writeFileSync(join(dir, 'devnet.lock'), JSON.stringify({ pid: 1, since: 'later' }));
    lock.release();
    expect(existsSync(join(dir, 'devnet.lock'))).toBe(true);
  });
});
