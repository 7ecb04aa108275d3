import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UnusableDirectoryError } from '../../core/errors/index.js';
import { ensureDirectory } from './ensureDirectory.js';

describe('ensureDirectory', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the missing directories and returns the absolute path; an existing one is fine', () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-dir-'));
    const path = join(dir, 'a', 'b', 'c');
    expect(ensureDirectory(path)).toBe(path);
    expect(statSync(path).isDirectory()).toBe(true);
    expect(ensureDirectory(path)).toBe(path);
  });

  it('refuses a path through a file, naming the file, and creates nothing', () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-dir-'));
    const file = join(dir, 'passwd');
    writeFileSync(file, 'root:x:0:0\n');
    expect(() => ensureDirectory(join(file, 'x', 'y'))).toThrow(new UnusableDirectoryError(join(file, 'x', 'y'), `${file} is a file, not a directory`));
    expect(() => ensureDirectory(file)).toThrow('it is a file');
  });

  it.each(['/proc/x', '/proc/self/x/y', '/sys/x'])('refuses %s (a virtual file system) at once instead of looping in mkdir', (path) => {
    expect(() => ensureDirectory(path)).toThrow(UnusableDirectoryError);
    expect(() => ensureDirectory(path)).toThrow(/a virtual file system/);
    expect(existsSync(path)).toBe(false);
  });
});
