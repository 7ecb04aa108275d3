import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, createWalletClient, custom, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { hardhat } from 'viem/chains';
import { afterAll, describe, expect, it } from 'vitest';
import { openLmdbJobStore } from '../../adapters/embedded/lmdbJobStore.js';
import { identityOf, isRunning } from '../../adapters/host/processIdentity.js';
import { LOCAL_ACCOUNT_KEYS } from '../../l1/chain/localAccounts.js';
import { signQuoteRequest } from '../../l1/quotes/signQuoteRequest.js';
import { onSmallDisk, smallDisksAvailable } from '../support/smallDisk.js';
import { sampleRun } from '../support/sampleRun.js';

// Every case here runs the real binary, as a new user would.
const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'prover-burst.js');
/** A small, fast devnet: 16-tx blocks, 6 s slots. */
const FAST = ['--port', '0', '--txs', '16', '--slot-seconds', '6', '--time-scale', '0.02'];

interface Finished {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const children: ChildProcess[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'pb-cli-'));
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

/** Starts `prover-burst …` (or a shell line) in its own process group, collecting its output. */
function start(command: string[] | string): { child: ChildProcess; output: { stdout: string; stderr: string }; done: Promise<Finished> } {
  const child =
    typeof command === 'string'
      ? spawn('sh', ['-c', command], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, [CLI, ...command], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const done = new Promise<Finished>((resolve) => child.once('exit', (status, signal) => resolve({ status, signal, ...output })));
  return { child, output, done };
}

function run(args: string[]): Promise<Finished> {
  return start(args).done;
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

/** The error line a failed command printed: exactly one line on stderr, nothing on stdout. */
function oneLineError(finished: Finished): string {
  expect(finished.stdout).toBe('');
  const lines = finished.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

const fresh = (name: string) => join(scratch, name);
const l1Of = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, 'devnet.json'), 'utf8')) as { pid: number; startTicks?: number; rpcUrl: string };
const proofLines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []);

describe('prover-burst dev refuses bad input with exit 2 and one line, before it starts anything', () => {
  const file = join(scratch, 'a-file');
  writeFileSync(file, 'not a directory\n');
  it.each([
    [['--profile', 'nope'], 'UnknownCircuitProfileError: unknown circuit profile "nope"'],
    [['--public-calls', 'junk'], 'InvalidPublicCallSpecError: invalid public-call spec "junk"'],
    [['--public-calls', '0:0.5,1:0.6'], 'the probabilities add up to 1.1, not 1'],
    [['--txs', '61441'], 'UsageError: dev: --txs: Too big'],
    [['--agents', 'heavy=many'], '--agents must look like heavy=4,light=8'],
    [['--blocks', '0'], '--blocks must be an integer ≥ 1'],
  ])('%j', async (flags, message) => {
    const dataDir = fresh(`bad-${flags.join('')}`);
    const finished = await run(['dev', '--data-dir', dataDir, ...FAST, ...flags]);
    expect(finished.status).toBe(2);
    expect(oneLineError(finished)).toContain(message);
    expect(existsSync(dataDir)).toBe(false);
  });

  it.each([
    [['dev', '--data-dir', '/proc/x'], 'UnusableDirectoryError: cannot use /proc/x as a directory: /proc is on proc, a virtual file system'],
    [['dev', '--data-dir', join(file, 'x')], `UnusableDirectoryError: cannot use ${join(file, 'x')} as a directory: ${file} is a file, not a directory`],
    [['simulate', '--txs', '16', '--out', '/proc/x'], 'UnusableDirectoryError: cannot use /proc/x as a directory: /proc is on proc, a virtual file system'],
  ])('%j: a path where no directory can be made is refused at once (Node 20 used to loop in mkdir there)', async (args, message) => {
    const finished = await run(args);
    expect(finished.status).toBe(2);
    expect(oneLineError(finished)).toBe(`prover-burst: ${message}`);
  });
});

describe('prover-burst dev fails with exit 1 and one line when its environment cannot carry it, before starting an L1', () => {
  it('reports a corrupt job store instead of segfaulting', async () => {
    const dataDir = fresh('corrupt');
    const storePath = join(dataDir, 'firms', 'ours', 'store');
    const store = openLmdbJobStore(storePath);
    await store.createRun(sampleRun());
    await store.close();
    writeFileSync(join(storePath, 'data.mdb'), Buffer.alloc(4096, 0x5a), { flag: 'r+' });
    const finished = await run(['dev', '--data-dir', dataDir, ...FAST]);
    expect([finished.status, finished.signal]).toEqual([1, null]);
    expect(oneLineError(finished)).toMatch(
      new RegExp(`^prover-burst: CorruptStoreError: the store at ${storePath} is corrupt \\(.+\\); move it aside to keep it, or discard the data directory with --fresh$`),
    );
    expect(existsSync(join(dataDir, 'devnet.json'))).toBe(false);
    expect(existsSync(join(dataDir, 'l1.alive'))).toBe(false);
    expect(existsSync(join(dataDir, 'devnet.lock'))).toBe(false);
  });

  it('says when the L1 port is taken', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const dataDir = fresh('port');
      const finished = await run(['dev', '--data-dir', dataDir, '--port', String(port)]);
      expect(finished.status).toBe(1);
      expect(oneLineError(finished)).toBe(
        `prover-burst: L1PortInUseError: port ${port} on 127.0.0.1 is in use (another devnet's L1?); stop that process or pass --port 0 for a free port`,
      );
      expect(existsSync(join(dataDir, 'l1.alive'))).toBe(false);
    } finally {
      taken.close();
    }
  });

  it.skipIf(!smallDisksAvailable)('says when the disk is too full to start (a real 8 MiB tmpfs; needs root)', async () => {
    const disk = await onSmallDisk(8, `node bin/prover-burst.js dev --data-dir "$DISK/devnet" ${FAST.join(' ')}; echo "exit $?" >&2`, { timeoutMs: 60_000 });
    const [error, exit] = disk.stderr.trimEnd().split('\n');
    expect(exit).toBe('exit 1');
    expect(error).toMatch(/^prover-burst: DiskFullError: no space left on the device holding \S+\/devnet \(\d+\.\d MiB free\) while starting \(the devnet needs 64 MiB\); free some space or choose another directory$/);
    expect(disk.stdout).toBe('');
  }, 90_000);
});

describe('a running devnet', () => {
  const dataDir = fresh('running');
  const teeOut = join(scratch, 'tee.out');
  let proofsBefore: string[] = [];
  let firstL1 = 0;

  it('prints its endpoints, answers bad quote requests with their status, refuses a second devnet on its data directory, and through `| tee` still prints its summary on Ctrl-C and stops its L1', async () => {
    // The trap keeps the shell waiting for the devnet, so its exit code is printed; the devnet itself gets SIGINT.
    const devnet = start(
      `{ trap ':' INT; node ${CLI} dev --data-dir ${dataDir} ${FAST.join(' ')}; echo "devnet exited $?" >&2; } | tee ${teeOut}`,
    );
    const header = await until(() => (/quote endpoints: .*\n/.test(devnet.output.stdout) ? devnet.output.stdout : undefined), 90_000, 'the header');
    const [, l1Rpc, rollup] = /^prover-burst devnet · L1 (http:\/\/127\.0\.0\.1:\d+) · rollup (0x[0-9a-fA-F]{40})$/m.exec(header)!;
    const [, ours, rival] = /^quote endpoints: ours (http:\/\/127\.0\.0\.1:\d+\/quote) · rival (http:\/\/127\.0\.0\.1:\d+\/quote)$/m.exec(header)!;
    expect(header).toContain(`data dir: ${dataDir} · log: ${join(dataDir, 'devnet.log')} · L1 log: ${join(dataDir, 'l1.alive.log')}\n`);
    expect(l1Of(dataDir).rpcUrl).toBe(l1Rpc);
    expect(rival).not.toBe(ours);

    const ask = async (body: unknown, contentType = 'application/json') => {
      const response = await fetch(ours!, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
      return response.status;
    };
    const request = { blockNumber: '1000000', slot: '1', bodyHash: `0x${'ab'.repeat(32)}`, txCount: 16, publicCalls: 16, revealedAt: 0, provingDeadline: 0 };
    // Signed as the devnet's first sequencer (account 3, staked at start) signs its requests.
    const sequencer = createWalletClient({ account: privateKeyToAccount(LOCAL_ACCOUNT_KEYS[3]!), chain: hardhat, transport: custom({ request: () => Promise.reject(new Error('signs only')) }) });
    const l1Now = Number((await createPublicClient({ chain: hardhat, transport: http(l1Rpc) }).getBlock()).timestamp);
    const signed = () => signQuoteRequest(sequencer, { chainId: hardhat.id, rollup: rollup as `0x${string}` }, request, { expiresAt: l1Now + 60 });
    expect(await ask(await signed())).toBe(404);
    expect(await ask(request)).toBe(401);
    expect(await ask({ ...(await signed()), request: { ...request, blockNumber: (2n ** 256n).toString() } })).toBe(400);
    expect(await ask(await signed(), 'text/plain')).toBe(415);
    expect(await ask({ ...(await signed()), padding: 'x'.repeat(20_000) })).toBe(413);

    // A second devnet on the same directory, plain or with --fresh, is refused and touches nothing.
    await until(() => (existsSync(join(dataDir, 'firms', 'ours', 'proofs.jsonl')) ? true : undefined), 90_000, 'the first proofs');
    const holder = JSON.parse(readFileSync(join(dataDir, 'devnet.lock'), 'utf8')) as { pid: number };
    for (const extra of [[], ['--fresh']]) {
      const second = await run(['dev', '--data-dir', dataDir, ...FAST, ...extra]);
      expect(second.status).toBe(1);
      expect(oneLineError(second)).toMatch(
        new RegExp(`^prover-burst: DataDirectoryInUseError: ${dataDir} is in use by another devnet \\(pid ${holder.pid}, since .+\\); stop it, or pass another --data-dir$`),
      );
    }
    expect(existsSync(join(dataDir, 'firms', 'ours', 'proofs.jsonl'))).toBe(true);

    // The first devnet's L1 survived the refusals: it goes on proving.
    await until(() => (/^block \d+: proven on L1 under 0x[0-9a-fA-F]{40} \(tx 0x[0-9a-f]{4}…[0-9a-f]{3}\), /m.test(devnet.output.stdout) ? true : undefined), 120_000, 'a block proven on L1');
    const l1 = l1Of(dataDir);
    expect(isRunning(l1)).toBe(true);

    // Ctrl-C reaches tee too, which exits at once; the summary must still reach the terminal.
    process.kill(-devnet.child.pid!, 'SIGINT');
    const finished = await devnet.done;
    expect(finished.stderr).toContain('prover-burst: stdout was closed (its reader exited); the rest follows on stderr');
    expect(finished.stderr).toMatch(/our blocks proven on L1 \(simulated prover, time scale 0\.02\):\n {2}block +txs +jobs/);
    expect(finished.stderr).toContain('devnet exited 130');
    expect(readFileSync(teeOut, 'utf8')).not.toContain('our blocks proven on L1');
    expect(isRunning(l1)).toBe(false);
    expect(existsSync(join(dataDir, 'devnet.lock'))).toBe(false);
    proofsBefore = proofLines(join(dataDir, 'firms', 'ours', 'proofs.jsonl'));
    firstL1 = l1.pid;
    expect(proofsBefore.length).toBeGreaterThan(0);
  }, 300_000);

  it('started again after its L1 is gone, moves the old state aside (nothing deleted), says so, and exits 1 in one line when its new L1 dies', async () => {
    const devnet = start(['dev', '--data-dir', dataDir, ...FAST, '--json']);
    const l1 = await until(
      () => {
        const recorded = existsSync(join(dataDir, 'devnet.json')) ? l1Of(dataDir) : undefined;
        return recorded && recorded.pid !== firstL1 && existsSync(join(dataDir, 'firms', 'ours', 'proofs.jsonl')) ? recorded : undefined;
      },
      120_000,
      'the new devnet proving on a new L1',
    );
    expect(l1.startTicks).toEqual(identityOf(l1.pid).startTicks);
    process.kill(-l1.pid, 'SIGKILL');
    const finished = await devnet.done;
    expect(finished.status).toBe(1);
    const summary = JSON.parse(finished.stdout) as { archived: { to: string; reason: string }; endpoints: Record<string, unknown>; resumed: boolean };
    expect(summary.resumed).toBe(false);
    expect(summary.archived.reason).toMatch(/^its L1 \(pid \d+, http:\/\/127\.0\.0\.1:\d+\) is gone$/);
    expect(summary.endpoints).toMatchObject({ l1Rpc: l1.rpcUrl, dataDir, log: join(dataDir, 'devnet.log'), quotes: { ours: expect.stringMatching(/\/quote$/) } });
    expect(finished.stderr.trimEnd().split('\n')).toEqual([
      `prover-burst: moved the previous devnet's state to ${summary.archived.to}: ${summary.archived.reason}`,
      `prover-burst: L1ExitedError: the L1 node (pid ${l1.pid}) exited while the devnet ran; its output is in ${join(dataDir, 'l1.alive.log')}`,
    ]);
    // The audit log of the first devnet is there, whole, in the archive.
    expect(readdirSync(join(dataDir, 'archive'))).toHaveLength(1);
    expect(proofLines(join(summary.archived.to, 'firms', 'ours', 'proofs.jsonl'))).toEqual(proofsBefore);
    expect(existsSync(join(summary.archived.to, 'firms', 'ours', 'store', 'data.mdb'))).toBe(true);
    expect(existsSync(join(dataDir, 'devnet.lock'))).toBe(false);
  }, 300_000);
});

/** util-linux `script` gives the devnet a real terminal (a pty) whose size the test sets with stty. */
const hasScript = spawnSync('script', ['--version']).status === 0;

describe.skipIf(!hasScript)('the live view on a terminal', () => {
  it('keeps within the terminal\'s width, and after a resize to 80 columns clears and redraws within 80', async () => {
    const dataDir = fresh('pty');
    const typescript = join(scratch, 'pty.out');
    const inside = join(scratch, 'pty.sh');
    writeFileSync(
      inside,
      [
        'stty cols 120 rows 50',
        `node ${CLI} dev --data-dir ${dataDir} ${FAST.join(' ')} --blocks 2 &`,
        `while ! grep -q 'proven on L1 \\[' ${typescript}; do sleep 0.2; done`,
        'stty cols 80',
        'wait $!',
      ].join('\n'),
    );
    const finished = await start(`script -qfec 'sh ${inside}' ${typescript} > /dev/null`).done;
    expect(finished.status).toBe(0);
    const screen = readFileSync(typescript, 'utf8');
    const resized = screen.indexOf('\u001b[H\u001b[2J');
    expect(resized).toBeGreaterThan(0);
    const summary = screen.indexOf('our blocks proven on L1');
    const ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');
    const rows = (text: string) => text.replace(ESCAPE, '\n').replaceAll('\r', '').split('\n');
    const width = (row: string) => [...row].length;
    // The first lines are script's own header and the wrapped SIMULATED notice; the frames follow.
    const before = rows(screen.slice(screen.indexOf('prover-burst devnet ·'), resized));
    const after = rows(screen.slice(resized, summary));
    expect(Math.max(...before.map(width))).toBeLessThanOrEqual(120);
    expect(Math.max(...after.map(width))).toBeLessThanOrEqual(80);
    expect(after).toContain('heavy/light: proofs done on each agent tier (heavy: 32 vCPU, light: 8 vCPU)');
    expect(after.some((row) => /^ +\d+ +\d+ proven on L1 \[█{12}\] 100% +\d+ +\d+ \d+\.\d s, tx 0x[0-9a-f]{4}…[0-9a-f]{3}$/.test(row))).toBe(true);
  }, 300_000);
});

describe.skipIf(!smallDisksAvailable)('a devnet whose disk fills up (a real tmpfs; needs root)', () => {
  it('stops in order with DiskFullError in one line, stops its L1, leaves only whole log lines, and the next start keeps its state', async () => {
    const script = `
      D="$DISK/devnet"
      node bin/prover-burst.js dev --data-dir "$D" ${FAST.join(' ')} > "$DISK/out" 2> "$DISK/err" &
      DEVNET=$!
      i=0; while [ ! -s "$D/firms/ours/proofs.jsonl" ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done
      dd if=/dev/zero of="$DISK/filler" bs=1M 2>/dev/null
      wait $DEVNET; CODE=$?
      L1=$(node -e "process.stdout.write(String(JSON.parse(require('fs').readFileSync('$D/devnet.json','utf8')).pid))")
      if kill -0 "$L1" 2>/dev/null; then ALIVE=yes; else ALIVE=no; fi
      node -e "
        const fs = require('fs');
        const whole = (file) => fs.readFileSync(file, 'utf8').split('\\\\n').filter(Boolean).every((line) => { try { JSON.parse(line); return true; } catch { return false; } });
        console.log(JSON.stringify({ code: $CODE, l1Alive: '$ALIVE', err: fs.readFileSync('$DISK/err', 'utf8'),
          logWhole: whole('$D/devnet.log'), proofsWhole: whole('$D/firms/ours/proofs.jsonl'), proofs: fs.readFileSync('$D/firms/ours/proofs.jsonl', 'utf8') }));"
      rm -f "$DISK/filler"
      node bin/prover-burst.js dev --data-dir "$D" ${FAST.join(' ')} --blocks 1 --json > "$DISK/out2" 2> /dev/null
      echo "$?" > "$DISK/code2"
      node -e "const fs = require('fs'); const s = JSON.parse(fs.readFileSync('$DISK/out2', 'utf8'));
        console.log(JSON.stringify({ code: Number(fs.readFileSync('$DISK/code2', 'utf8')), archived: s.archived, blocks: s.blocks.length,
          archivedProofs: fs.readFileSync(s.archived.to + '/firms/ours/proofs.jsonl', 'utf8') }));"`;
    const disk = await onSmallDisk(96, script, { timeoutMs: 400_000 });
    const [filled, restarted] = disk.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(filled).toMatchObject({ code: 1, l1Alive: 'no', logWhole: true, proofsWhole: true });
    const errors = (filled!.err as string).trimEnd().split('\n');
    expect(errors.at(-1)).toMatch(/^prover-burst: DiskFullError: no space left on the device holding \S+ \([\d.]+ MiB free\) while .+; free some space or choose another directory$/);
    // Before it, at most LMDB's own C diagnostic (printed without a newline), nothing of ours.
    for (const line of errors.slice(0, -1)) expect(line).toMatch(/^(Write error: No space left on device position \d+, size \d+)*$/);
    expect(restarted).toMatchObject({ code: 0, blocks: 1, archived: { to: expect.stringContaining('/archive/') } });
    expect(restarted!.archivedProofs).toBe(filled!.proofs);
  }, 450_000);
});
