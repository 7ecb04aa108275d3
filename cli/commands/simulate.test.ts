import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';

const out = mkdtempSync(join(tmpdir(), 'pb-simulate-'));
const small = ['--txs', '16', '--public-calls', '1', '--parallel', '1', '--out', out];

function run(args: string[]) {
  const lines: string[] = [];
  const errors: string[] = [];
  return main(args, { out: (line) => lines.push(line), err: (line) => errors.push(line) }).then((exitCode) => ({
    exitCode,
    out: lines.join('\n'),
    err: errors.join('\n'),
  }));
}

describe('prover-burst simulate', () => {
  it('takes measured prove times (a bench:proofs result) as the profile durations', async () => {
    const measured = join(out, 'real-proofs.json');
    writeFileSync(measured, JSON.stringify({ kinds: { tx: { proveSeconds: { median: 3 } }, merge: { proveSeconds: { median: 50 } }, root: { proveSeconds: { median: 70 } } } }));
    const { exitCode, out: printed } = await run(['simulate', '--txs', '8', '--profile', 'noir-tree', '--parallel', '1', '--out', out, '--proof-times', measured, '--json']);
    expect(exitCode).toBe(0);
    // 8 txs: a tx proof, two levels of merges and the root on the critical path.
    expect(JSON.parse(printed)).toMatchObject({ txs: 8, criticalPathSeconds: 3 + 50 + 50 + 70 });
    writeFileSync(measured, JSON.stringify({ kinds: { avm: { proveSeconds: { median: 3 } } } }));
    const refused = await run(['simulate', '--txs', '8', '--profile', 'noir-tree', '--proof-times', measured]);
    expect(refused.exitCode).toBe(2);
    expect(refused.err).toContain('noir-tree has no job kind "avm"');
  });

  it('prints exactly the figures the issue specifies with --json', async () => {
    const { exitCode, out: printed } = await run(['simulate', ...small, '--scenario', 'kill-30', '--json']);
    expect(exitCode).toBe(0);
    const result = JSON.parse(printed) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual([
      'scenario',
      'txs',
      'makespanSeconds',
      'criticalPathSeconds',
      'provisioningSeconds',
      'launchBound',
      'computeCostUsd',
      'computeLowerBoundUsd',
      'controlPlaneUsd',
      'peakVcpus',
      'deadlineHitRate',
      'recoverySeconds',
      'baselines',
      'aws',
    ]);
    expect(result).toMatchObject({
      scenario: 'kill-30',
      txs: 16,
      criticalPathSeconds: 210,
      // Only a cold block is bounded by the launch rate.
      launchBound: null,
      makespanSeconds: expect.any(Number),
      peakVcpus: { heavy: expect.any(Number), light: expect.any(Number) },
      deadlineHitRate: expect.any(Number),
      baselines: {
        levelWalk: { makespanSeconds: expect.any(Number), computeCostUsd: expect.any(Number) },
        levelWalkArrays: { makespanSeconds: expect.any(Number), computeCostUsd: expect.any(Number) },
        reactive: { makespanSeconds: expect.any(Number), computeCostUsd: expect.any(Number) },
        reactiveCooldown: { makespanSeconds: expect.any(Number), computeCostUsd: expect.any(Number) },
      },
      aws: { peakBatchApiTps: expect.any(Number), launches: expect.any(Number) },
    });
    expect((result.aws as { peakBatchApiTps: number }).peakBatchApiTps).toBeLessThanOrEqual(50);
  });

  it('runs every scenario with --scenario all, and prints the report for people without --json', async () => {
    const json = await run(['simulate', ...small, '--scenario', 'all', '--json']);
    expect((JSON.parse(json.out) as { scenario: string }[]).map((r) => r.scenario)).toEqual(['warm', 'cold', 'spot-storm', 'kill-30']);
    const text = await run(['simulate', ...small, '--deadline', '900']);
    expect(text.exitCode).toBe(0);
    expect(text.out).toContain('| warm |');
    expect(text.out).toContain(`wrote ${join(out, 'simulate.md')}`);
  });

  it('replaces an earlier report in its directory whole, leaving no chart of a scenario it did not run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pb-simulate-replace-'));
    const flags = ['--txs', '16', '--public-calls', '1', '--parallel', '1', '--out', dir];
    await run(['simulate', ...flags, '--scenario', 'all']);
    expect(readdirSync(dir).sort()).toEqual(['simulate-cold.svg', 'simulate-kill-30.svg', 'simulate-spot-storm.svg', 'simulate-warm.svg', 'simulate.md']);
    const again = await run(['simulate', ...flags, '--scenario', 'warm']);
    expect(readdirSync(dir).sort()).toEqual(['simulate-warm.svg', 'simulate.md']);
    expect(again.out).toContain(`wrote ${join(dir, 'simulate.md')} and 1 chart(s) (removed 3 chart(s) of the report it replaced)`);
  });

  it('writes to a new dated directory under .data/sim by default, never over the committed bench/results/sim', () => {
    const committed = join(import.meta.dirname, '..', '..', 'bench', 'results', 'sim', 'simulate.md');
    const before = statSync(committed).mtimeMs;
    const cwd = mkdtempSync(join(tmpdir(), 'pb-simulate-cwd-'));
    const cli = join(import.meta.dirname, '..', '..', 'bin', 'prover-burst.js');
    const once = () => spawnSync(process.execPath, [cli, 'simulate', '--txs', '16', '--public-calls', '1', '--parallel', '1'], { cwd, encoding: 'utf8' });
    const [first, second] = [once(), once()];
    expect([first.status, second.status]).toEqual([0, 0]);
    const written = readdirSync(join(cwd, '.data', 'sim'));
    expect(written).toHaveLength(2);
    for (const dir of written) expect(dir).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ(-2)?$/);
    expect(first.stdout).toContain(`wrote ${join('.data', 'sim', written.sort()[0]!, 'simulate.md')}`);
    expect(statSync(committed).mtimeMs).toBe(before);
  }, 60_000);

  it('takes the AWS model from a JSON file', async () => {
    const file = join(out, 'slow-scheduler.json');
    writeFileSync(file, JSON.stringify({ batch: { schedulingSeconds: { kind: 'fixed', value: 300 } } }));
    const slow = JSON.parse((await run(['simulate', ...small, '--scenario', 'cold', '--json', '--model', file])).out) as { provisioningSeconds: number };
    expect(slow.provisioningSeconds).toBeGreaterThan(300);
  });

  const badModel = join(out, 'bad-model.json');
  writeFileSync(badModel, JSON.stringify({ ec2: { billingMinimumSeconds: -60 } }));
  it.each([
    [['--txs', '0'], '--txs must be an integer'],
    [['--txs', '61441'], "above rfp-2023's maximum of 61440"],
    [['--scenario', 'meteor'], 'unknown scenario "meteor"'],
    [['--seeds', 'three'], '--seeds must be an integer'],
    [['--deadline=-5'], '--deadline must be a number'],
    [['--engine', 'warp'], '--engine must be fast or real'],
    [['--profile', 'groth'], 'unknown circuit profile "groth"'],
    [['--public-calls', '1:x'], 'invalid public-call spec'],
    [['--model', join(out, 'missing.json')], 'missing.json: cannot be read'],
    [['--model', badModel], 'ec2.billingMinimumSeconds'],
    [['--fast'], "Unknown option '--fast'"],
  ])('exits 2 with one line for %j', async (flags, message) => {
    const { exitCode, err, out: printed } = await run(['simulate', ...flags]);
    expect(exitCode).toBe(2);
    expect(err).toContain(message);
    expect(err.split('\n')).toHaveLength(1);
    expect(printed).toBe('');
  });
});
