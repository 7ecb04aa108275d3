import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { openLmdbJobStore } from '../../adapters/embedded/lmdbJobStore.js';

const CLI = join(import.meta.dirname, '../../bin/prover-burst.js');

interface ProofLine {
  readonly pid: number;
  readonly type: 'proving' | 'proved';
  readonly runId: string;
  readonly jobId: string;
  readonly first?: boolean;
}

function readProofLog(dataDir: string): ProofLine[] {
  const path = join(dataDir, 'firms', 'ours', 'proofs.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ProofLine);
}

/**
 * The killed devnet's block must still be ours to prove when the restarted one resumes it: within its exclusive window
 * (3.75 slots) and its deadline (10 slots) on L1's clock, which keeps running while the devnet is down. Restarting
 * takes seconds on an idle machine and can take a minute on a loaded one, more than 8-s slots left (30 s, 80 s): under
 * a load average of 6–7 the restarted devnet once proved none of the block. 24-s slots give 90 s and 240 s.
 */
const SLOT_SECONDS = '24';

function devnet(dataDir: string, extra: string[]): ChildProcess {
  const args = [CLI, 'dev', '--data-dir', dataDir, '--port', '0', '--slot-seconds', SLOT_SECONDS, '--txs', '32', '--public-calls', '2', '--time-scale', '0.02', ...extra];
  return spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

async function until<T>(read: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the devnet after kill -9', () => {
  const processes: ChildProcess[] = [];
  let dataDir = '';
  afterEach(() => {
    for (const child of processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    // The L1 node outlives a killed devnet by design; end it so nothing is left behind.
    const state = join(dataDir, 'devnet.json');
    if (existsSync(state)) {
      const { pid } = JSON.parse(readFileSync(state, 'utf8')) as { pid: number };
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes the block it was proving, proves it, and proves no finished job again', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pb-crash-'));
    const first = devnet(dataDir, []);
    processes.push(first);
    const lines: string[] = [];
    createInterface({ input: first.stdout! }).on('line', (line) => lines.push(line));

    // Wait until our firm is part-way through a block, then kill the whole devnet without warning.
    const victim = await until(
      () => {
        const proved = readProofLog(dataDir).filter((line) => line.type === 'proved' && line.first);
        const byRun = new Map<string, number>();
        for (const line of proved) byRun.set(line.runId, (byRun.get(line.runId) ?? 0) + 1);
        return [...byRun.entries()].find(([, count]) => count >= 25)?.[0];
      },
      240_000,
      'a block part-way proven',
    );
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    // The killed devnet could not release its lock: the next one must recognise it as stale.
    expect(JSON.parse(readFileSync(join(dataDir, 'devnet.lock'), 'utf8'))).toMatchObject({ pid: first.pid });
    const before = readProofLog(dataDir);
    const finishedBefore = new Set(before.filter((line) => line.type === 'proved' && line.first && line.runId === victim).map((line) => line.jobId));
    expect(finishedBefore.size).toBeGreaterThanOrEqual(25);

    const second = devnet(dataDir, ['--blocks', '1', '--json']);
    processes.push(second);
    let output = '';
    second.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    expect(exitCode).toBe(0);
    const summary = JSON.parse(output.trim().split('\n').pop()!) as { resumed: boolean; blocks: { l1TxHash: string }[] };
    expect(summary.resumed).toBe(true);
    expect(existsSync(join(dataDir, 'devnet.lock'))).toBe(false);

    const after = readProofLog(dataDir).filter((line) => line.pid === second.pid);
    const reproven = after.filter((line) => line.type === 'proving' && finishedBefore.has(line.jobId)).map((line) => line.jobId);
    expect(reproven).toEqual([]);
    expect(after.some((line) => line.runId === victim && line.type === 'proved')).toBe(true);

    const store = openLmdbJobStore(join(dataDir, 'firms', 'ours', 'store'));
    try {
      const run = await store.getRun(victim);
      expect(run).toMatchObject({ state: 'settled' });
      expect(run!.l1TxHash).toMatch(/^0x[0-9a-f]{64}$/);
    } finally {
      await store.close();
    }
  }, 600_000);
});
