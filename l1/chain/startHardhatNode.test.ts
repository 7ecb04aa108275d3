import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { identityOf } from '../../adapters/host/processIdentity.js';
import { setTimeout as delay } from 'node:timers/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLocalChain } from './startLocalChain.js';

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function rpc(url: string, method: string): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] }) });
  return ((await response.json()) as { result: unknown }).result;
}

/** Polls until `condition` holds, failing after `timeoutMs`. */
async function eventually(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await delay(50);
  }
}

describe('startLocalChain({ mode: "node" })', () => {
  it('runs hardhat node on a free 127.0.0.1 port, serves JSON-RPC, and stops it by pid', async () => {
    const chain = await startLocalChain({ mode: 'node' });
    const pid = chain.pid!;
    expect(chain.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await rpc(chain.rpcUrl!, 'eth_chainId')).toBe('0x7a69');
    expect(await rpc(chain.rpcUrl!, 'eth_blockNumber')).toMatch(/^0x[0-9a-f]+$/);
    expect(isAlive(pid)).toBe(true);

    await chain.stop();
    expect(isAlive(pid)).toBe(false);
    await expect(rpc(chain.rpcUrl!, 'eth_blockNumber')).rejects.toThrow();
  });

  it('does not outlive the process that started it, even when that process is killed', async () => {
    // No interval mining: a silent node never hits a broken stdout pipe, so only the stdin watchdog can end it.
    const script = `
      import { startLocalChain } from ${JSON.stringify(new URL('./startLocalChain.ts', import.meta.url).href)};
      const chain = await startLocalChain({ mode: 'node', blockIntervalMs: 3_600_000 });
      console.log('pid', chain.pid);
      setInterval(() => {}, 1000);
    `;
    const owner = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const nodePid = await new Promise<number>((resolve) =>
      createInterface({ input: owner.stdout }).on('line', (line) => {
        const match = /^pid (\d+)$/.exec(line);
        if (match) resolve(Number(match[1]));
      }),
    );
    expect(isAlive(nodePid)).toBe(true);
    owner.kill('SIGKILL');
    await eventually(() => !isAlive(nodePid), 10_000);
  });
});

describe('startHardhatNode with a keep-alive file', () => {
  it('outlives a killed starter, can be attached to, and exits once nobody keeps it alive', async () => {
    const keepAliveFile = join(mkdtempSync(join(tmpdir(), 'pb-keepalive-')), 'l1.alive');
    const script = `
      import { startHardhatNode } from ${JSON.stringify(new URL('./startHardhatNode.ts', import.meta.url).href)};
      const chain = await startHardhatNode({ keepAliveFile: ${JSON.stringify(keepAliveFile)}, keepAliveGraceMs: 4000 });
      console.log('node', chain.pid, chain.rpcUrl);
      setInterval(() => {}, 1000);
    `;
    const owner = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [nodePid, rpcUrl] = await new Promise<[number, string]>((resolve) =>
      createInterface({ input: owner.stdout }).on('line', (line) => {
        const match = /^node (\d+) (\S+)$/.exec(line);
        if (match) resolve([Number(match[1]), match[2]!]);
      }),
    );
    owner.kill('SIGKILL');
    await delay(1_500);
    expect(isAlive(nodePid)).toBe(true);
    const { attachHardhatNode } = await import('./startHardhatNode.js');
    // A recorded start time that is not the running process's: its pid was reused, it is not our node.
    const { startTicks } = identityOf(nodePid);
    if (startTicks !== undefined) expect(await attachHardhatNode({ rpcUrl, pid: nodePid, startTicks: startTicks + 1, keepAliveFile })).toBeUndefined();
    const attached = await attachHardhatNode({ rpcUrl, pid: nodePid, ...(startTicks === undefined ? {} : { startTicks }), keepAliveFile });
    expect(attached).toBeDefined();
    await delay(5_000);
    expect(await rpc(rpcUrl, 'eth_chainId')).toBe('0x7a69');
    await attached!.stop();
    expect(isAlive(nodePid)).toBe(false);
    expect(await attachHardhatNode({ rpcUrl, pid: nodePid, keepAliveFile })).toBeUndefined();
  });

  it('exits by itself when its keep-alive file goes stale', async () => {
    const keepAliveFile = join(mkdtempSync(join(tmpdir(), 'pb-keepalive-')), 'l1.alive');
    const script = `
      import { startHardhatNode } from ${JSON.stringify(new URL('./startHardhatNode.ts', import.meta.url).href)};
      const chain = await startHardhatNode({ keepAliveFile: ${JSON.stringify(keepAliveFile)}, keepAliveGraceMs: 2000 });
      console.log('node', chain.pid);
      setInterval(() => {}, 1000);
    `;
    const owner = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const nodePid = await new Promise<number>((resolve) =>
      createInterface({ input: owner.stdout }).on('line', (line) => {
        const match = /^node (\d+)$/.exec(line);
        if (match) resolve(Number(match[1]));
      }),
    );
    owner.kill('SIGKILL');
    await eventually(() => !isAlive(nodePid), 15_000);
  });
});
