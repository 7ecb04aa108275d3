import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskFullError } from '../../core/errors/index.js';
import { onSmallDisk, smallDisksAvailable } from '../../test/support/smallDisk.js';
import { openAppendLog } from './appendLog.js';

describe('an append-only line log', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends whole lines and keeps what was there', () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-log-'));
    const path = join(dir, 'proofs.jsonl');
    writeFileSync(path, '{"a":1}\n');
    const log = openAppendLog(path);
    log.append('{"b":2}');
    log.append('{"c":3}');
    log.close();
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n{"b":2}\n{"c":3}\n');
  });

  it('ends a torn last line left by an earlier crash before appending, so the next line stands on its own', () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-log-'));
    const path = join(dir, 'devnet.log');
    writeFileSync(path, '{"a":1}\n{"b":');
    const log = openAppendLog(path);
    log.append('{"c":3}');
    log.close();
    expect(readFileSync(path, 'utf8').split('\n')).toEqual(['{"a":1}', '{"b":', '{"c":3}', '']);
  });

  it('rotates past its size bound into <path>.1, so a log never grows without bound', () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-log-'));
    const path = join(dir, 'devnet.log');
    const log = openAppendLog(path, { rotateBytes: 100 });
    for (let i = 0; i < 30; i++) log.append(`line ${String(i).padStart(2, '0')} ${'x'.repeat(10)}`);
    log.close();
    const current = readFileSync(path, 'utf8');
    const previous = readFileSync(`${path}.1`, 'utf8');
    expect(current.length).toBeLessThanOrEqual(100 + 20);
    expect(previous.length).toBeLessThanOrEqual(100 + 20);
    expect(`${previous}${current}`.trimEnd().split('\n').at(-1)).toBe(`line 29 ${'x'.repeat(10)}`);
    expect(existsSync(`${path}.2`)).toBe(false);
  });

  it('reports a full disk as DiskFullError (writing to /dev/full)', () => {
    const log = openAppendLog('/dev/full');
    expect(() => log.append('{"a":1}')).toThrow(DiskFullError);
    log.close();
  });

  it.skipIf(!smallDisksAvailable)('cuts off the part of a line a full disk let through, leaving only whole lines (a real 1 MiB tmpfs; needs root)', async () => {
    const script = `
      cat > "$DISK/fill.ts" <<'TS'
      import { readFileSync } from 'node:fs';
      import { openAppendLog } from '${join(import.meta.dirname, 'appendLog.ts')}';
      const log = openAppendLog(process.argv[2]!);
      let lines = 0;
      try {
        for (;;) { log.append(JSON.stringify({ n: lines, pad: 'x'.repeat(3000) })); lines++; }
      } catch (error) {
        const text = readFileSync(process.argv[2]!, 'utf8');
        console.log(JSON.stringify({ lines, error: (error as Error).name, endsWithNewline: text.endsWith('\\n'), parsed: text.split('\\n').filter(Boolean).map((l) => JSON.parse(l).n).length }));
      }
TS
      node --import tsx "$DISK/fill.ts" "$DISK/proofs.jsonl"`;
    const run = await onSmallDisk(1, script, { timeoutMs: 60_000 });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as { lines: number; error: string; endsWithNewline: boolean; parsed: number };
    expect(result.lines).toBeGreaterThan(100);
    expect(result).toMatchObject({ error: 'DiskFullError', endsWithNewline: true, parsed: result.lines });
  }, 90_000);
});
