import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';

function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(args, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return code.then((exitCode) => ({ exitCode, out: out.join('\n'), err: err.join('\n') }));
}

describe('prover-burst plan', () => {
  it('prints the JSON summary the issue specifies', async () => {
    const { exitCode, out } = await run(['plan', '--txs', '1024', '--public-calls', '2', '--json']);
    expect(exitCode).toBe(0);
    const summary = JSON.parse(out) as Record<string, unknown>;
    expect(summary).toMatchObject({
      profile: 'rfp-2023',
      txs: 1024,
      jobs: { total: 6143, byKind: { vm: 2048, kernel: 2048, base: 1024, merge: 1022, root: 1 } },
      depth: 10,
      criticalPathSeconds: 420,
    });
    expect(summary.planMs).toEqual(expect.any(Number));
    expect(summary).not.toHaveProperty('tree');
  });

  it('adds the tree positions in leaf order with --tree', async () => {
    const { out } = await run(['plan', '--txs', '3', '--public-calls', '0', '--json', '--tree']);
    expect(JSON.parse(out)).toMatchObject({ tree: { leaves: [[2, 0], [2, 1], [1, 1]], merges: [[1, 0]] } });
  });

  it('prints a table for people', async () => {
    const { out } = await run(['plan', '--txs', '4', '--public-calls', '1', '--profile', 'aztec-v5']);
    expect(out).toContain('profile aztec-v5');
    expect(out).toMatch(/avm\s+heavy\s+4\s+180/);
    expect(out).toContain('critical path');
  });

  it.each([
    [['plan'], '--txs N is required'],
    [['plan', '--txs', 'many'], '--txs must be an integer'],
    [['plan', '--txs', '0'], '--txs must be an integer'],
    [['plan', '--txs', '4', '--fast'], "Unknown option '--fast'"],
    [['plan', '--txs', '4', '--profile', 'groth'], 'unknown circuit profile "groth"'],
    [['plan', '--txs', '4', '--public-calls', '1:x'], 'invalid public-call spec'],
    [['plan', '--txs', '61441'], "above rfp-2023's maximum of 61440"],
    [['prove'], 'unknown command "prove"'],
  ])('exits 2 with one line for %j', async (args, message) => {
    const { exitCode, err, out } = await run(args);
    expect(exitCode).toBe(2);
    expect(err).toContain(message);
    expect(err.split('\n')).toHaveLength(1);
    expect(out).toBe('');
  });

  it('runs through the installed bin', () => {
    const result = spawnSync(process.execPath, ['bin/prover-burst.js', 'plan', '--txs', '5', '--public-calls', '1', '--json'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ txs: 5, jobs: { total: 19 } });
  });
});
